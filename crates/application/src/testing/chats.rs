//! An in-memory fake of the messenger's store.
//!
//! One mutex stands for PostgreSQL's locks: every write reads its facts, asks the rule and
//! applies the change under it, so the use cases' rules meet the same "facts nobody changes
//! meanwhile" the real store gives. Positions in a chat's message list play the role of the
//! ids' order: a member sees the messages from `from` on and has read those before `read`.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use sakura_domain::chats::search::{QueryTerm, index_terms};
use sakura_domain::chats::{ChatKind, ChatTitle, ClientId, MessageText, ReachFacts};
use sakura_domain::notifications::Notification;
use sakura_domain::photos::Photo;
use sakura_domain::users::MessagesPrivacy;
use sakura_domain::{ChatId, MessageId, PhotoId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::chats::{
    ChatError, ChatInfo, ChatSnapshot, ChatView, ChatViewer, Member, Message, ReactionGroup,
    ReplyPreview, react,
};
use crate::events::{Announce, Committed, EventEnvelope};
use crate::pagination::{Cursor, Page, PageRequest};
use crate::ports::{
    Candidate, ChatFacts, ChatStore, Draft, GroupChange, GroupCommitted, GroupVerdict, MarkerMoved,
    MessageChange, MessageChanged, MessageFacts, NewGroup, Rule, SendFacts, SendVerdict, Sent,
};

#[derive(Debug, Clone)]
struct Membership {
    user: UserId,
    /// The first position this member sees.
    from: usize,
    /// Positions below this are read.
    read: usize,
}

#[derive(Debug, Clone)]
struct Stored {
    id: MessageId,
    sender: UserId,
    text: Option<MessageText>,
    photos: Vec<Photo>,
    reply_to: Option<usize>,
    reactions: Vec<ReactionGroup>,
    /// When each reacting member put their reaction, as PostgreSQL's `reacted_at` (with the
    /// number of reactions put before, so that reactions at one clock reading keep their order).
    reacted_at: HashMap<UserId, (OffsetDateTime, usize)>,
    client_id: Option<ClientId>,
    created_at: OffsetDateTime,
    edited_at: Option<OffsetDateTime>,
    deleted: bool,
}

impl Stored {
    /// Orders reactions as PostgreSQL reads them: most used first, then by first use (the
    /// earliest standing reaction); each group's users earliest first.
    fn order_reactions(&mut self) {
        let at = |user: &UserId| self.reacted_at.get(user).copied();
        for group in &mut self.reactions {
            group.users.sort_by_key(at);
        }
        self.reactions.sort_by_key(|g| {
            (
                std::cmp::Reverse(g.users.len()),
                g.users.iter().filter_map(at).min(),
            )
        });
    }
}

#[derive(Debug, Clone)]
struct Chat {
    id: ChatId,
    kind: ChatKind,
    title: Option<ChatTitle>,
    creator: Option<UserId>,
    members: Vec<Membership>,
    messages: Vec<Stored>,
    updated_at: OffsetDateTime,
}

#[derive(Default)]
struct State {
    users: HashMap<UserId, Member>,
    /// How the second stands to the first (absent: anyone may write).
    reach: HashMap<(UserId, UserId), ReachFacts>,
    photos: HashMap<PhotoId, Photo>,
    chats: Vec<Chat>,
    notifications: Vec<Notification>,
    events: Vec<EventEnvelope>,
}

/// Chats and messages in memory. Users must be added with [`InMemoryChats::add_user`] to be
/// known; how one stands to another is [`InMemoryChats::set_reach`] (default: reachable).
#[derive(Default)]
pub struct InMemoryChats {
    state: Mutex<State>,
}

const OPEN: ReachFacts = ReachFacts {
    messages: MessagesPrivacy::Everyone,
    friends: false,
    blocked: false,
};

impl InMemoryChats {
    /// Makes `user` known, named `name`.
    pub fn add_user(&self, user: UserId, name: &str) {
        self.state.lock().unwrap().users.insert(
            user,
            Member {
                user_id: user,
                first_name: name.to_owned(),
                last_name: "Test".to_owned(),
                avatar_key: None,
            },
        );
    }

    /// How `other` stands to `me` when `me` writes to or adds them.
    pub fn set_reach(&self, me: UserId, other: UserId, reach: ReachFacts) {
        self.state.lock().unwrap().reach.insert((me, other), reach);
    }

    /// Makes `photo` attachable.
    pub fn add_photo(&self, photo: Photo) {
        self.state.lock().unwrap().photos.insert(photo.id, photo);
    }

    /// Deletes `photo` (as its owner's delete does): sends can no longer attach it.
    pub fn remove_photo(&self, photo: PhotoId) {
        self.state.lock().unwrap().photos.remove(&photo);
    }

    /// The notifications written so far.
    pub fn notifications(&self) -> Vec<Notification> {
        self.state.lock().unwrap().notifications.clone()
    }

    /// The events written with the changes so far (as an outbox holds them).
    pub fn events(&self) -> Vec<EventEnvelope> {
        self.state.lock().unwrap().events.clone()
    }

    /// How many messages `chat` holds, deleted markers included.
    pub fn message_count(&self, chat: ChatId) -> usize {
        let state = self.state.lock().unwrap();
        state
            .chats
            .iter()
            .find(|c| c.id == chat)
            .map_or(0, |c| c.messages.len())
    }
}

impl State {
    fn candidate(&self, me: UserId, other: UserId) -> Result<Candidate, ChatError> {
        if !self.users.contains_key(&other) {
            return Err(ChatError::UnknownUser);
        }
        Ok(Candidate {
            user_id: other,
            reach: self.reach.get(&(me, other)).copied().unwrap_or(OPEN),
        })
    }

    fn index(&self, chat: ChatId) -> Option<usize> {
        self.chats.iter().position(|c| c.id == chat)
    }

    /// The chat's index and `me`'s membership in it, or `ChatNotFound`.
    fn membership(&self, me: UserId, chat: ChatId) -> Result<(usize, Membership), ChatError> {
        let index = self.index(chat).ok_or(ChatError::ChatNotFound)?;
        let member = self.chats[index]
            .members
            .iter()
            .find(|m| m.user == me)
            .cloned()
            .ok_or(ChatError::ChatNotFound)?;
        Ok((index, member))
    }

    fn info(&self, chat: &Chat) -> ChatInfo {
        ChatInfo {
            id: chat.id,
            kind: chat.kind,
            title: chat.title.clone(),
            creator: chat.creator,
            members: chat
                .members
                .iter()
                .filter_map(|m| self.users.get(&m.user).cloned())
                .collect(),
            updated_at: chat.updated_at,
        }
    }

    fn facts(chat: &Chat) -> ChatFacts {
        ChatFacts {
            id: chat.id,
            kind: chat.kind,
            creator: chat.creator,
            members: chat.members.iter().map(|m| m.user).collect(),
        }
    }

    /// The message at `position` as a reader who sees from `from` does.
    fn message(chat: &Chat, position: usize, from: usize) -> Message {
        let stored = &chat.messages[position];
        let reply_to = stored.reply_to.map(|p| {
            let answered = &chat.messages[p];
            ReplyPreview {
                id: answered.id,
                sender: answered.sender,
                excerpt: answered
                    .text
                    .as_ref()
                    .filter(|_| p >= from)
                    .map(|t| t.excerpt().to_owned()),
                deleted: answered.deleted,
            }
        });
        Message {
            id: stored.id,
            chat_id: chat.id,
            sender: stored.sender,
            text: stored.text.clone(),
            photos: stored.photos.clone(),
            reply_to,
            reactions: stored.reactions.clone(),
            client_id: stored.client_id.clone(),
            created_at: stored.created_at,
            edited_at: stored.edited_at,
            deleted: stored.deleted,
        }
    }

    fn unread(chat: &Chat, member: &Membership) -> u64 {
        let start = member.read.max(member.from);
        chat.messages[start.min(chat.messages.len())..]
            .iter()
            .filter(|m| !m.deleted && m.sender != member.user)
            .count() as u64
    }

    fn view(&self, chat: &Chat, member: &Membership) -> ChatView {
        let last = chat
            .messages
            .len()
            .checked_sub(1)
            .filter(|&p| p >= member.from);
        ChatView {
            chat: self.info(chat),
            last_message: last.map(|p| Self::message(chat, p, member.from)),
            unread: Self::unread(chat, member),
        }
    }

    /// The chat as its members (and `removed`) see it.
    fn snapshot(&self, chat: &Chat, removed: Option<UserId>) -> ChatSnapshot {
        let last = chat.messages.len().checked_sub(1);
        let mut viewers: Vec<ChatViewer> = chat
            .members
            .iter()
            .map(|m| ChatViewer {
                user_id: m.user,
                unread: Self::unread(chat, m),
                last_message_hidden: last.is_none_or(|p| p < m.from),
            })
            .collect();
        if let Some(user) = removed.filter(|u| !chat.members.iter().any(|m| m.user == *u)) {
            viewers.push(ChatViewer {
                user_id: user,
                unread: 0,
                last_message_hidden: true,
            });
        }
        ChatSnapshot {
            chat: self.info(chat),
            last_message: last.map(|p| Self::message(chat, p, 0)),
            viewers,
        }
    }

    /// The position of `message` in the chat at `index`, if `member` sees it.
    fn position(&self, index: usize, member: &Membership, message: MessageId) -> Option<usize> {
        self.chats[index]
            .messages
            .iter()
            .position(|m| m.id == message)
            .filter(|&p| p >= member.from)
    }

    fn changed(&self, index: usize, position: usize, me: &Membership) -> MessageChanged {
        let chat = &self.chats[index];
        let message = Self::message(chat, position, me.from);
        let reply_hidden_for = match chat.messages[position].reply_to {
            Some(answered) => chat
                .members
                .iter()
                .filter(|m| answered < m.from)
                .map(|m| m.user)
                .collect(),
            None => Vec::new(),
        };
        MessageChanged {
            message,
            members: chat.members.iter().map(|m| m.user).collect(),
            reply_hidden_for,
            changed: true,
        }
    }
}

fn cursor(position: usize, id: Uuid) -> Cursor {
    Cursor {
        key: i64::try_from(position).unwrap(),
        id,
    }
}

fn page_of<T>(items: Vec<(usize, Uuid, T)>, request: PageRequest) -> Page<T> {
    let items: Vec<(usize, Uuid, T)> = items
        .into_iter()
        .filter(|(key, id, _)| {
            request
                .after
                .is_none_or(|after| (i64::try_from(*key).unwrap(), *id) < (after.key, after.id))
        })
        .take(request.fetch())
        .collect();
    let page = Page::from_rows(items, request, |(key, id, _)| cursor(*key, *id));
    page.map(|(_, _, item)| item)
}

#[async_trait]
impl ChatStore for InMemoryChats {
    async fn open_direct(
        &self,
        me: UserId,
        other: UserId,
        id: ChatId,
        at: OffsetDateTime,
        allow: &Rule<'_, Candidate, ()>,
        announce: &Announce<'_, ChatSnapshot>,
    ) -> Result<Committed<(ChatView, bool)>, ChatError> {
        let mut state = self.state.lock().unwrap();
        let candidate = state.candidate(me, other)?;
        allow(&candidate)?;
        let existing = state.chats.iter().position(|c| {
            c.kind == ChatKind::Direct
                && c.members.iter().any(|m| m.user == me)
                && c.members.iter().any(|m| m.user == other)
        });
        let (index, created) = match existing {
            Some(index) => (index, false),
            None => {
                let member = |user| Membership {
                    user,
                    from: 0,
                    read: 0,
                };
                state.chats.push(Chat {
                    id,
                    kind: ChatKind::Direct,
                    title: None,
                    creator: None,
                    members: vec![member(me), member(other)],
                    messages: Vec::new(),
                    updated_at: at,
                });
                (state.chats.len() - 1, true)
            }
        };
        let chat = &state.chats[index];
        let member = chat.members.iter().find(|m| m.user == me).unwrap();
        let view = state.view(chat, member);
        let events = if created {
            announce(&state.snapshot(chat, None))
        } else {
            Vec::new()
        };
        state.events.extend(events.clone());
        Ok(Committed::new((view, created), events))
    }

    async fn create_group(
        &self,
        group: &NewGroup,
        rule: &Rule<'_, Vec<Candidate>, Vec<Notification>>,
        announce: &Announce<'_, GroupCommitted>,
    ) -> Result<Committed<ChatView>, ChatError> {
        let mut state = self.state.lock().unwrap();
        let candidates = group
            .members
            .iter()
            .map(|&m| state.candidate(group.creator, m))
            .collect::<Result<Vec<_>, _>>()?;
        let notifications = rule(&candidates)?;
        let members = std::iter::once(group.creator)
            .chain(group.members.iter().copied())
            .map(|user| Membership {
                user,
                from: 0,
                read: 0,
            })
            .collect();
        let chat = Chat {
            id: group.id,
            kind: ChatKind::Group,
            title: Some(group.title.clone()),
            creator: Some(group.creator),
            members,
            messages: Vec::new(),
            updated_at: group.at,
        };
        let view = state.view(&chat, &chat.members[0]);
        let committed = GroupCommitted {
            snapshot: state.snapshot(&chat, None),
            notifications: notifications.clone(),
        };
        let events = announce(&committed);
        state.chats.push(chat);
        state.notifications.extend(notifications);
        state.events.extend(events.clone());
        Ok(Committed::new(view, events))
    }

    async fn change_group(
        &self,
        me: UserId,
        chat: ChatId,
        change: &GroupChange,
        at: OffsetDateTime,
        rule: &Rule<'_, (ChatFacts, Option<Candidate>), GroupVerdict>,
        announce: &Announce<'_, GroupCommitted>,
    ) -> Result<Committed<Option<ChatView>>, ChatError> {
        let mut state = self.state.lock().unwrap();
        let (index, _) = state.membership(me, chat)?;
        let candidate = match change {
            GroupChange::Add(user) => Some(state.candidate(me, *user)?),
            _ => None,
        };
        let facts = State::facts(&state.chats[index]);
        let notifications = match rule(&(facts, candidate))? {
            GroupVerdict::Unchanged => {
                let chat = &state.chats[index];
                let member = chat.members.iter().find(|m| m.user == me).unwrap();
                return Ok(Committed::new(Some(state.view(chat, member)), Vec::new()));
            }
            GroupVerdict::Apply(notifications) => notifications,
        };
        let removed = match change {
            GroupChange::Remove(user) => Some(*user),
            _ => None,
        };
        {
            let chat = &mut state.chats[index];
            match change {
                GroupChange::Rename(title) => chat.title = Some(title.clone()),
                GroupChange::Add(user) => {
                    let end = chat.messages.len();
                    chat.members.push(Membership {
                        user: *user,
                        from: end,
                        read: end,
                    });
                }
                GroupChange::Remove(user) => {
                    chat.members.retain(|m| m.user != *user);
                    if chat.creator == Some(*user) {
                        chat.creator = chat.members.first().map(|m| m.user);
                    }
                }
            }
            chat.updated_at = at;
        }
        let chat = state.chats[index].clone();
        let committed = GroupCommitted {
            snapshot: state.snapshot(&chat, removed),
            notifications: notifications.clone(),
        };
        let events = announce(&committed);
        if chat.members.is_empty() {
            state.chats.remove(index);
        }
        let view = chat
            .members
            .iter()
            .find(|m| m.user == me)
            .map(|member| state.view(&chat, member));
        state.notifications.extend(notifications);
        state.events.extend(events.clone());
        Ok(Committed::new(view, events))
    }

    async fn send(
        &self,
        me: UserId,
        chat: ChatId,
        draft: &Draft,
        rule: &Rule<'_, SendFacts, SendVerdict>,
        announce: &Announce<'_, MessageChanged>,
    ) -> Result<Committed<Sent>, ChatError> {
        let mut state = self.state.lock().unwrap();
        let (index, member) = state.membership(me, chat)?;
        let c = &state.chats[index];
        let peer = match c.kind {
            ChatKind::Direct => {
                let other = c.members.iter().find(|m| m.user != me).map(|m| m.user);
                other.map(|o| state.candidate(me, o)).transpose()?
            }
            ChatKind::Group => None,
        };
        let earlier = draft.client_id.as_ref().and_then(|id| {
            c.messages
                .iter()
                .position(|m| m.sender == me && m.client_id.as_ref() == Some(id))
        });
        let reply = draft
            .reply_to
            .and_then(|r| state.position(index, &member, r));
        let facts = SendFacts {
            chat: State::facts(c),
            peer,
            earlier: earlier.map(|p| State::message(c, p, member.from)),
            reply_visible: reply.is_some_and(|p| !c.messages[p].deleted),
            foreign_photo: draft
                .photos
                .iter()
                .copied()
                .find(|id| state.photos.get(id).is_none_or(|p| p.owner != me)),
        };
        if rule(&facts)? == SendVerdict::Repeat {
            let message = facts.earlier.unwrap();
            return Ok(Committed::new(
                Sent {
                    message,
                    created: false,
                },
                Vec::new(),
            ));
        }
        let photos = draft
            .photos
            .iter()
            .filter_map(|id| state.photos.get(id).cloned())
            .collect();
        let chat = &mut state.chats[index];
        chat.messages.push(Stored {
            id: MessageId::new(),
            sender: me,
            text: draft.text.clone(),
            photos,
            reply_to: reply,
            reactions: Vec::new(),
            reacted_at: HashMap::new(),
            client_id: draft.client_id.clone(),
            created_at: draft.at,
            edited_at: None,
            deleted: false,
        });
        chat.updated_at = draft.at;
        // Sending moves no read marker (as in PostgreSQL): only `move_marker` does.
        let end = chat.messages.len();
        let changed = state.changed(index, end - 1, &member);
        let events = announce(&changed);
        state.events.extend(events.clone());
        Ok(Committed::new(
            Sent {
                message: changed.message,
                created: true,
            },
            events,
        ))
    }

    async fn change_message(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        change: &MessageChange,
        rule: &Rule<'_, MessageFacts, ()>,
        announce: &Announce<'_, MessageChanged>,
    ) -> Result<Committed<MessageChanged>, ChatError> {
        let mut state = self.state.lock().unwrap();
        let (index, member) = state.membership(me, chat)?;
        let position = state
            .position(index, &member, message)
            .ok_or(ChatError::MessageNotFound)?;
        let stored = &state.chats[index].messages[position];
        rule(&MessageFacts {
            sender: stored.sender,
            deleted: stored.deleted,
            reactions: stored.reactions.clone(),
        })?;
        let stored = &mut state.chats[index].messages[position];
        let changed = match change {
            MessageChange::Edit(text, at) => {
                stored.text = Some(text.clone());
                stored.edited_at = Some(*at);
                true
            }
            MessageChange::Delete(_) if stored.deleted => false,
            MessageChange::Delete(_) => {
                stored.deleted = true;
                stored.text = None;
                stored.photos.clear();
                stored.reactions.clear();
                stored.reacted_at.clear();
                true
            }
            MessageChange::React(emoji, at) => {
                let after = react(&stored.reactions, me, Some(emoji));
                let changed = after != stored.reactions;
                if changed {
                    let seq = stored.reacted_at.values().map(|(_, n)| n + 1).max();
                    stored.reacted_at.insert(me, (*at, seq.unwrap_or(0)));
                    stored.reactions = after;
                    stored.order_reactions();
                }
                changed
            }
            MessageChange::Unreact(emoji, _) => {
                let mine = stored
                    .reactions
                    .iter()
                    .any(|g| &g.emoji == emoji && g.users.contains(&me));
                if mine {
                    stored.reacted_at.remove(&me);
                    stored.reactions = react(&stored.reactions, me, None);
                    stored.order_reactions();
                }
                mine
            }
        };
        let done = MessageChanged {
            changed,
            ..state.changed(index, position, &member)
        };
        let events = announce(&done);
        state.events.extend(events.clone());
        Ok(Committed::new(done, events))
    }

    async fn mark_read(
        &self,
        me: UserId,
        chat: ChatId,
        message: MessageId,
        announce: &Announce<'_, MarkerMoved>,
    ) -> Result<Committed<MarkerMoved>, ChatError> {
        let mut state = self.state.lock().unwrap();
        let (index, member) = state.membership(me, chat)?;
        let position = state
            .position(index, &member, message)
            .ok_or(ChatError::MessageNotFound)?;
        let chat = &mut state.chats[index];
        let mine = chat.members.iter_mut().find(|m| m.user == me).unwrap();
        let moved = position + 1 > mine.read;
        if moved {
            mine.read = position + 1;
        }
        let done = MarkerMoved {
            members: chat.members.iter().map(|m| m.user).collect(),
            moved,
        };
        let events = announce(&done);
        state.events.extend(events.clone());
        Ok(Committed::new(done, events))
    }

    async fn chat(&self, viewer: UserId, chat: ChatId) -> Result<ChatView, ChatError> {
        let state = self.state.lock().unwrap();
        let (index, member) = state.membership(viewer, chat)?;
        Ok(state.view(&state.chats[index], &member))
    }

    async fn chats(&self, viewer: UserId, page: PageRequest) -> Result<Page<ChatView>, ChatError> {
        let state = self.state.lock().unwrap();
        let mut mine: Vec<(usize, Uuid, ChatView)> = state
            .chats
            .iter()
            .filter_map(|c| {
                let member = c.members.iter().find(|m| m.user == viewer)?;
                let key = usize::try_from(c.updated_at.unix_timestamp_nanos() / 1000).unwrap();
                Some((key, c.id.as_uuid(), state.view(c, member)))
            })
            .collect();
        mine.sort_by_key(|m| std::cmp::Reverse((m.0, m.1)));
        Ok(page_of(mine, page))
    }

    async fn history(
        &self,
        viewer: UserId,
        chat: ChatId,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError> {
        let state = self.state.lock().unwrap();
        let (index, member) = state.membership(viewer, chat)?;
        let chat = &state.chats[index];
        let messages = (member.from..chat.messages.len())
            .rev()
            .map(|p| {
                (
                    p,
                    chat.messages[p].id.as_uuid(),
                    State::message(chat, p, member.from),
                )
            })
            .collect();
        Ok(page_of(messages, page))
    }

    async fn search(
        &self,
        viewer: UserId,
        terms: &[QueryTerm],
        chat: Option<ChatId>,
        page: PageRequest,
    ) -> Result<Page<Message>, ChatError> {
        let state = self.state.lock().unwrap();
        if let Some(chat) = chat {
            state.membership(viewer, chat)?;
        }
        let matches = |text: &MessageText| {
            let words = index_terms(text.as_str());
            terms.iter().all(|t| {
                words.iter().any(|w| {
                    if t.prefix {
                        w.starts_with(&t.text)
                    } else {
                        *w == t.text
                    }
                })
            })
        };
        let mut found: Vec<(usize, Uuid, Message)> = Vec::new();
        for c in state
            .chats
            .iter()
            .filter(|c| chat.is_none_or(|id| c.id == id))
        {
            let Some(member) = c.members.iter().find(|m| m.user == viewer) else {
                continue;
            };
            for p in member.from..c.messages.len() {
                let stored = &c.messages[p];
                if !stored.deleted && stored.text.as_ref().is_some_and(matches) {
                    // Newest first across chats: message ids are time-ordered.
                    found.push((0, stored.id.as_uuid(), State::message(c, p, member.from)));
                }
            }
        }
        found.sort_by_key(|f| std::cmp::Reverse(f.1));
        Ok(page_of(found, page))
    }

    async fn unread_total(&self, viewer: UserId) -> Result<u64, ChatError> {
        let state = self.state.lock().unwrap();
        Ok(state
            .chats
            .iter()
            .filter_map(|c| {
                let member = c.members.iter().find(|m| m.user == viewer)?;
                Some(State::unread(c, member))
            })
            .sum())
    }
}

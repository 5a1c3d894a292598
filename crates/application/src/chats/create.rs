//! Opening a direct chat and creating a group.

use std::sync::Arc;

use sakura_domain::chats::{ChatTitle, MAX_GROUP_MEMBERS, may_message};
use sakura_domain::notifications::{Notification, NotificationKind, Subject};
use sakura_domain::{ChatId, SessionId, UserId};
use time::OffsetDateTime;

use super::{ChatError, ChatSnapshot, ChatView};
use crate::Actor;
use crate::events::{DomainEvent, EventEnvelope};
use crate::ports::{Candidate, ChatStore, Clock, EventPublisher, GroupCommitted, NewGroup};

/// `chat.updated` with the chat as it was committed, to every member.
pub(super) fn chat_updated(
    snapshot: &ChatSnapshot,
    also: Option<UserId>,
    origin: Option<SessionId>,
    at: OffsetDateTime,
) -> EventEnvelope {
    let mut recipients = snapshot.member_ids();
    recipients.extend(also.filter(|u| !recipients.contains(u)));
    DomainEvent::ChatUpdated(snapshot.clone()).to(recipients, origin, at)
}

/// The rule of adding `candidates` to a chat by `adder`: each must be reachable by them (a
/// block refuses first, then their `messages` setting); each gets a `chat_added`.
pub fn admit(
    adder: UserId,
    chat: ChatId,
    at: OffsetDateTime,
    candidates: &[Candidate],
) -> Result<Vec<Notification>, ChatError> {
    candidates
        .iter()
        .map(|c| {
            may_message(c.reach)?;
            Ok(Notification::new(
                c.user_id,
                adder,
                NotificationKind::ChatAdded,
                Subject::Chat(chat),
                at,
            ))
        })
        .collect()
}

/// Opens the direct chat with someone: the existing one, or a new one.
#[derive(Clone)]
pub struct CreateDirectChat {
    store: Arc<dyn ChatStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl CreateDirectChat {
    /// Wires the use case.
    pub fn new(
        store: Arc<dyn ChatStore>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            events,
            clock,
        }
    }

    /// `me`'s direct chat with `other`, and whether it was created now. Errors: `Invalid` on
    /// `userId` for myself, `UnknownUser`, `Unreachable` (a block, their `messages` setting),
    /// new chat or old.
    #[tracing::instrument(name = "create_direct_chat", skip_all, fields(me = %me.user_id, %other))]
    pub async fn execute(&self, me: Actor, other: UserId) -> Result<(ChatView, bool), ChatError> {
        if me.user_id == other {
            return Err(ChatError::invalid(
                "userId",
                "you cannot open a chat with yourself",
            ));
        }
        let at = self.clock.now();
        let origin = me.session_id;
        let allow = |c: &Candidate| may_message(c.reach).map_err(ChatError::from);
        let announce = |snapshot: &ChatSnapshot| vec![chat_updated(snapshot, None, origin, at)];
        Ok(self
            .store
            .open_direct(me.user_id, other, ChatId::new(), at, &allow, &announce)
            .await?
            .publish(self.events.as_ref()))
    }
}

/// Creates a group.
#[derive(Clone)]
pub struct CreateGroup {
    store: Arc<dyn ChatStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl CreateGroup {
    /// Wires the use case.
    pub fn new(
        store: Arc<dyn ChatStore>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            events,
            clock,
        }
    }

    /// A group titled `title` of `me` and `members` (which may name `me`, or someone twice).
    /// Errors: `Invalid` on `memberIds` (nobody else, or over 500 members with me),
    /// `UnknownUser`, `Unreachable` for a member who may not be added by me.
    #[tracing::instrument(name = "create_group", skip_all, fields(me = %me.user_id, members = members.len()))]
    pub async fn execute(
        &self,
        me: Actor,
        title: ChatTitle,
        members: &[UserId],
    ) -> Result<ChatView, ChatError> {
        let mut others: Vec<UserId> = Vec::with_capacity(members.len());
        for &member in members {
            if member != me.user_id && !others.contains(&member) {
                others.push(member);
            }
        }
        if others.is_empty() {
            return Err(ChatError::invalid(
                "memberIds",
                "name at least one member besides yourself",
            ));
        }
        if others.len() + 1 > MAX_GROUP_MEMBERS {
            return Err(ChatError::invalid(
                "memberIds",
                format!("a group has at most {MAX_GROUP_MEMBERS} members, you included"),
            ));
        }
        let at = self.clock.now();
        let origin = me.session_id;
        let group = NewGroup {
            id: ChatId::new(),
            creator: me.user_id,
            title,
            members: others,
            at,
        };
        let rule = |candidates: &Vec<Candidate>| admit(me.user_id, group.id, at, candidates);
        let announce = |committed: &GroupCommitted| group_events(committed, None, origin, at);
        Ok(self
            .store
            .create_group(&group, &rule, &announce)
            .await?
            .publish(self.events.as_ref()))
    }
}

/// `chat.updated` to the members (and `also`), and a `notification.new` for each notification
/// stored with the change.
pub fn group_events(
    committed: &GroupCommitted,
    also: Option<UserId>,
    origin: Option<SessionId>,
    at: OffsetDateTime,
) -> Vec<EventEnvelope> {
    let mut events = vec![chat_updated(&committed.snapshot, also, origin, at)];
    events.extend(
        committed
            .notifications
            .iter()
            .map(|n| DomainEvent::NotificationCreated(n.clone()).to(vec![n.recipient], origin, at)),
    );
    events
}

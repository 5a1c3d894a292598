//! Editing and deleting my messages, reacting to anyone's.

use std::sync::Arc;

use sakura_domain::chats::{Emoji, MAX_DISTINCT_REACTIONS, MessageText};
use sakura_domain::{ChatId, MessageId, UserId};

use super::{ChatError, Message, ReactionGroup};
use crate::Actor;
use crate::events::DomainEvent;
use crate::ports::{ChatStore, Clock, EventPublisher, MessageChange, MessageChanged, MessageFacts};

/// The rule of an edit or a delete: only the sender's own message; an edit needs it not deleted
/// (a delete of a deleted message changes nothing).
pub fn decide_own(
    me: UserId,
    change: &MessageChange,
    facts: &MessageFacts,
) -> Result<(), ChatError> {
    if facts.deleted && !matches!(change, MessageChange::Delete(_)) {
        return Err(ChatError::MessageNotFound);
    }
    if facts.sender != me {
        return Err(ChatError::Forbidden("this is not your message"));
    }
    Ok(())
}

/// The rule of any message change by `me`: [`decide_reaction`] for a reaction,
/// [`decide_own`] for an edit or a delete.
pub fn decide_change(
    me: UserId,
    change: &MessageChange,
    facts: &MessageFacts,
) -> Result<(), ChatError> {
    match change {
        MessageChange::React(emoji, _) => decide_reaction(me, Some(emoji), facts),
        MessageChange::Unreact(..) => decide_reaction(me, None, facts),
        other => decide_own(me, other, facts),
    }
}

/// A message's reactions after `user` puts `emoji` (replacing theirs) or takes theirs away:
/// most used first, equal counts in the order they had (a new emoji last). The stores order equal
/// counts by first use when they read a message back.
pub fn react(
    reactions: &[ReactionGroup],
    user: UserId,
    emoji: Option<&Emoji>,
) -> Vec<ReactionGroup> {
    let mut groups: Vec<ReactionGroup> = reactions
        .iter()
        .map(|g| ReactionGroup {
            emoji: g.emoji.clone(),
            users: g.users.iter().copied().filter(|&u| u != user).collect(),
        })
        .collect();
    if let Some(emoji) = emoji {
        match groups.iter_mut().find(|g| &g.emoji == emoji) {
            Some(group) => group.users.push(user),
            None => groups.push(ReactionGroup {
                emoji: emoji.clone(),
                users: vec![user],
            }),
        }
    }
    groups.retain(|g| !g.users.is_empty());
    // A stable sort keeps first-used order among equal counts.
    groups.sort_by_key(|g| std::cmp::Reverse(g.users.len()));
    groups
}

/// The rule of a reaction: a deleted message takes none, and a message's reactions use at most
/// 20 distinct emoji.
pub fn decide_reaction(
    me: UserId,
    emoji: Option<&Emoji>,
    facts: &MessageFacts,
) -> Result<(), ChatError> {
    if facts.deleted {
        return Err(ChatError::MessageNotFound);
    }
    if react(&facts.reactions, me, emoji).len() > MAX_DISTINCT_REACTIONS {
        return Err(ChatError::TooManyReactions);
    }
    Ok(())
}

/// What the three message changes share: the store, the publisher, the clock.
#[derive(Clone)]
struct Changer {
    store: Arc<dyn ChatStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl Changer {
    async fn apply(
        &self,
        me: Actor,
        chat: ChatId,
        message: MessageId,
        change: MessageChange,
    ) -> Result<MessageChanged, ChatError> {
        let at = self.clock.now();
        let origin = me.session_id;
        let rule = |facts: &MessageFacts| decide_change(me.user_id, &change, facts);
        let announce = |done: &MessageChanged| {
            if !done.changed {
                return Vec::new();
            }
            let m = &done.message;
            let event = match &change {
                MessageChange::Edit(..) => DomainEvent::MessageEdited {
                    message: m.clone(),
                    reply_hidden_for: done.reply_hidden_for.clone(),
                },
                MessageChange::Delete(_) => DomainEvent::MessageDeleted {
                    chat_id: m.chat_id,
                    message_id: m.id,
                },
                MessageChange::React(..) | MessageChange::Unreact(..) => {
                    DomainEvent::MessageReactions {
                        chat_id: m.chat_id,
                        message_id: m.id,
                        reactions: m.reactions.clone(),
                    }
                }
            };
            vec![event.to(done.members.clone(), origin, at)]
        };
        Ok(self
            .store
            .change_message(me.user_id, chat, message, &change, &rule, &announce)
            .await?
            .publish(self.events.as_ref()))
    }
}

macro_rules! message_use_case {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(Changer);

        impl $name {
            /// Wires the use case.
            pub fn new(
                store: Arc<dyn ChatStore>,
                events: Arc<dyn EventPublisher>,
                clock: Arc<dyn Clock>,
            ) -> Self {
                Self(Changer { store, events, clock })
            }
        }
    };
}

message_use_case!(
    /// Edits the text of one of my messages.
    EditMessage
);
message_use_case!(
    /// Deletes one of my messages, leaving a marker in its place.
    DeleteMessage
);
message_use_case!(
    /// Puts or removes my reaction to a message.
    ReactToMessage
);

impl EditMessage {
    /// `me` changes the text of `message` to `text` (sets `editedAt`); members get
    /// `message.edited`. Errors: `ChatNotFound`, `MessageNotFound` (also once deleted),
    /// `Forbidden` for someone else's.
    #[tracing::instrument(name = "edit_message", skip_all, fields(me = %me.user_id, %chat, %message))]
    pub async fn execute(
        &self,
        me: Actor,
        chat: ChatId,
        message: MessageId,
        text: MessageText,
    ) -> Result<Message, ChatError> {
        let at = self.0.clock.now();
        let change = MessageChange::Edit(text, at);
        Ok(self.0.apply(me, chat, message, change).await?.message)
    }
}

impl DeleteMessage {
    /// `me` deletes `message`; members get `message.deleted`. Deleting it again changes
    /// nothing. Errors: `ChatNotFound`, `MessageNotFound`, `Forbidden` for someone else's.
    #[tracing::instrument(name = "delete_message", skip_all, fields(me = %me.user_id, %chat, %message))]
    pub async fn execute(
        &self,
        me: Actor,
        chat: ChatId,
        message: MessageId,
    ) -> Result<(), ChatError> {
        let at = self.0.clock.now();
        self.0
            .apply(me, chat, message, MessageChange::Delete(at))
            .await
            .map(drop)
    }
}

impl ReactToMessage {
    /// `me` puts `emoji` on `message`, replacing my reaction; members get `message.reactions`
    /// when it changed. Returns the reactions now. Errors: `ChatNotFound`, `MessageNotFound`
    /// (also a deleted one), `TooManyReactions`.
    #[tracing::instrument(name = "put_reaction", skip_all, fields(me = %me.user_id, %chat, %message))]
    pub async fn put(
        &self,
        me: Actor,
        chat: ChatId,
        message: MessageId,
        emoji: Emoji,
    ) -> Result<Vec<ReactionGroup>, ChatError> {
        let at = self.0.clock.now();
        let change = MessageChange::React(emoji, at);
        Ok(self
            .0
            .apply(me, chat, message, change)
            .await?
            .message
            .reactions)
    }

    /// `me` takes back my reaction of `emoji` to `message` (nothing changes if I reacted with
    /// another, or not at all); members get `message.reactions` when it changed. Returns the
    /// reactions now. Errors: `ChatNotFound`, `MessageNotFound` (also a deleted one).
    #[tracing::instrument(name = "remove_reaction", skip_all, fields(me = %me.user_id, %chat, %message))]
    pub async fn remove(
        &self,
        me: Actor,
        chat: ChatId,
        message: MessageId,
        emoji: Emoji,
    ) -> Result<Vec<ReactionGroup>, ChatError> {
        let at = self.0.clock.now();
        let change = MessageChange::Unreact(emoji, at);
        Ok(self
            .0
            .apply(me, chat, message, change)
            .await?
            .message
            .reactions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emoji(s: &str) -> Emoji {
        Emoji::parse(s).unwrap()
    }

    #[test]
    fn a_new_reaction_replaces_mine_and_the_most_used_comes_first() {
        let (a, b, c) = (UserId::new(), UserId::new(), UserId::new());
        let one = react(&[], a, Some(&emoji("👍")));
        let two = react(&one, b, Some(&emoji("🎉")));
        let three = react(&two, c, Some(&emoji("🎉")));
        assert_eq!(three[0].emoji, emoji("🎉"));
        assert_eq!(three[0].users, vec![b, c]);
        let replaced = react(&three, a, Some(&emoji("🎉")));
        assert_eq!(replaced.len(), 1);
        assert_eq!(replaced[0].users.len(), 3);
        assert!(react(&one, a, None).is_empty());
    }

    #[test]
    fn a_21st_distinct_emoji_is_refused_but_joining_an_existing_one_is_not() {
        let mut reactions = Vec::new();
        let all: Vec<_> = "😀 😃 😄 😁 😆 😅 😂 🤣 😊 😇 🙂 🙃 😉 😌 😍 🥰 😘 😗 😙 😚 😋"
            .split(' ')
            .map(emoji)
            .collect();
        for e in &all[..20] {
            reactions = react(&reactions, UserId::new(), Some(e));
        }
        let facts = MessageFacts {
            sender: UserId::new(),
            deleted: false,
            reactions,
        };
        let me = UserId::new();
        assert!(matches!(
            decide_reaction(me, Some(&all[20]), &facts),
            Err(ChatError::TooManyReactions)
        ));
        assert!(decide_reaction(me, Some(&all[0]), &facts).is_ok());
    }
}

//! Domain events: what happened, for whom, from which session — written with the change they
//! announce and handed to the publisher after it commits.
//!
//! Every event travels in one [`EventEnvelope`]: its id (a redelivery can be recognised), when it
//! happened, who must hear of it and which session caused it (realtime skips that session's own
//! socket where the protocol says "other sockets"). Stores write the envelopes of a change in the
//! change's own transaction (a transactional outbox), so a crash between commit and publish delays
//! an event but never loses it; see [`crate::ports::Outbox`] and [`relay`].

pub mod relay;

use sakura_domain::friends::Relation;
use sakura_domain::notifications::Notification;
use sakura_domain::users::Settings;
use sakura_domain::{ChatId, EventId, MessageId, NotificationId, SessionId, UserId};
use time::OffsetDateTime;

use crate::chats::{ChatSnapshot, Message, ReactionGroup};
use crate::ports::EventPublisher;

/// Something other parts of the system (mostly realtime sockets) react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainEvent {
    /// These sessions of the user were revoked: their sockets must close with 4001.
    SessionsRevoked {
        /// Whose sessions.
        user_id: UserId,
        /// Which ones.
        session_ids: Vec<SessionId>,
    },
    /// `user_id`'s relation to `other_user_id` changed (`friendship.updated`, to `user_id`).
    FriendshipUpdated {
        /// Who is told.
        user_id: UserId,
        /// About whom.
        other_user_id: UserId,
        /// The relation now, from `user_id`'s side.
        relation: Relation,
    },
    /// A notification was stored (`notification.new`, to its recipient).
    NotificationCreated(Notification),
    /// A user's settings changed (`settings.updated`, to their other sockets).
    SettingsUpdated {
        /// Whose.
        user_id: UserId,
        /// The settings now in force.
        settings: Settings,
    },
    /// A message was sent (`message.new`, to the members).
    MessageNew {
        /// The message, as its sender sees it.
        message: Message,
        /// Members who joined after the message it answers: their frame shows no reply text.
        reply_hidden_for: Vec<UserId>,
    },
    /// A message's text was edited (`message.edited`, to the members).
    MessageEdited {
        /// The message after the edit.
        message: Message,
        /// As for [`DomainEvent::MessageNew`].
        reply_hidden_for: Vec<UserId>,
    },
    /// A message was deleted (`message.deleted`, to the members).
    MessageDeleted {
        /// Its chat.
        chat_id: ChatId,
        /// The message.
        message_id: MessageId,
    },
    /// A message's reactions changed (`message.reactions`, to the members).
    MessageReactions {
        /// Its chat.
        chat_id: ChatId,
        /// The message.
        message_id: MessageId,
        /// Its reactions now, with who reacted (each recipient's `reactedByMe`).
        reactions: Vec<ReactionGroup>,
    },
    /// A member's read marker moved (`chat.read`, to the members).
    ChatRead {
        /// The chat.
        chat_id: ChatId,
        /// Whose marker.
        user_id: UserId,
        /// Up to which message they have read.
        message_id: MessageId,
    },
    /// A chat was created, renamed, or gained or lost a member (`chat.updated`, to the members
    /// and to a removed user).
    ChatUpdated(ChatSnapshot),
    /// A member is typing in a chat (`typing`, to the other members; never stored).
    Typing {
        /// The chat.
        chat_id: ChatId,
        /// Who types.
        user_id: UserId,
    },
    /// A user read notifications (`notifications.read`, to their other sockets).
    NotificationsRead {
        /// Whose.
        user_id: UserId,
        /// Which: `None` for all of them.
        ids: Option<Vec<NotificationId>>,
    },
    /// A user came online or went offline (`presence`, to their friends).
    Presence {
        /// Who.
        user_id: UserId,
        /// Whether they are online now.
        online: bool,
        /// When they went offline (`None` when online).
        last_seen_at: Option<OffsetDateTime>,
    },
}

impl DomainEvent {
    /// The stable name of the event's kind (the realtime frame's `type` where there is one).
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::SessionsRevoked { .. } => "sessions.revoked",
            Self::FriendshipUpdated { .. } => "friendship.updated",
            Self::NotificationCreated(_) => "notification.new",
            Self::SettingsUpdated { .. } => "settings.updated",
            Self::MessageNew { .. } => "message.new",
            Self::MessageEdited { .. } => "message.edited",
            Self::MessageDeleted { .. } => "message.deleted",
            Self::MessageReactions { .. } => "message.reactions",
            Self::ChatRead { .. } => "chat.read",
            Self::ChatUpdated(_) => "chat.updated",
            Self::Typing { .. } => "typing",
            Self::NotificationsRead { .. } => "notifications.read",
            Self::Presence { .. } => "presence",
        }
    }

    /// The envelope that sends this event to `recipients`, `at` the time of the change, caused by
    /// `origin` (the acting session, if a session acted).
    pub fn to(
        self,
        recipients: Vec<UserId>,
        origin: Option<SessionId>,
        at: OffsetDateTime,
    ) -> EventEnvelope {
        EventEnvelope {
            id: EventId::new(),
            at,
            recipients,
            origin,
            payload: self,
        }
    }
}

/// One event with everything delivery needs, so nothing is queried again to route it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEnvelope {
    /// Unique per event; delivery is at least once, so consumers may see an id twice.
    pub id: EventId,
    /// When the change happened.
    pub at: OffsetDateTime,
    /// The users whose sockets get it (the members of a chat at commit time, say).
    pub recipients: Vec<UserId>,
    /// The session that caused it; `None` for changes no session made (a sweep, an expiry).
    pub origin: Option<SessionId>,
    /// What happened.
    pub payload: DomainEvent,
}

impl EventEnvelope {
    /// `sessions.revoked`, told to the user whose sessions they were.
    pub fn sessions_revoked(
        user_id: UserId,
        session_ids: Vec<SessionId>,
        origin: Option<SessionId>,
        at: OffsetDateTime,
    ) -> Self {
        DomainEvent::SessionsRevoked {
            user_id,
            session_ids,
        }
        .to(vec![user_id], origin, at)
    }

    /// The payload's kind.
    pub const fn kind(&self) -> &'static str {
        self.payload.kind()
    }
}

/// What a write port calls inside its transaction to make the events of a change from the state
/// after it (so the events describe exactly what was committed, with no read afterwards).
pub type Announce<'a, T> = dyn Fn(&T) -> Vec<EventEnvelope> + Send + Sync + 'a;

/// A store write's result and the events committed with it, still to be handed to the publisher.
///
/// `#[must_use]`: dropping it unpublished only delays the events until the outbox relay finds
/// them, but that is a bug.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "hand the events to the publisher with `publish`"]
pub struct Committed<T> {
    /// What the write returns.
    pub value: T,
    /// The events written in the same transaction.
    pub events: Vec<EventEnvelope>,
}

impl<T> Committed<T> {
    /// A result with its events.
    pub fn new(value: T, events: Vec<EventEnvelope>) -> Self {
        Self { value, events }
    }

    /// Hands the events to `publisher` (which never waits on the network) and returns the value.
    pub fn publish(self, publisher: &dyn EventPublisher) -> T {
        if !self.events.is_empty() {
            publisher.publish(self.events);
        }
        self.value
    }
}

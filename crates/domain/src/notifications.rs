//! Notifications: something happened that a user should know about.

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{ChatId, NotificationId, PostId, UserId};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// Someone asked to be friends.
    FriendRequest,
    /// Someone accepted my request.
    FriendAccepted,
    /// Someone liked my post.
    PostLiked,
    /// Someone commented on my post.
    PostCommented,
    /// Someone added me to a chat.
    ChatAdded,
}

impl NotificationKind {
    /// The wire and storage spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FriendRequest => "friend_request",
            Self::FriendAccepted => "friend_accepted",
            Self::PostLiked => "post_liked",
            Self::PostCommented => "post_commented",
            Self::ChatAdded => "chat_added",
        }
    }
}

impl FromStr for NotificationKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "friend_request" => Self::FriendRequest,
            "friend_accepted" => Self::FriendAccepted,
            "post_liked" => Self::PostLiked,
            "post_commented" => Self::PostCommented,
            "chat_added" => Self::ChatAdded,
            other => return Err(format!("unknown notification kind {other:?}")),
        })
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a notification is about: the thing a client opens when it is tapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A person (friend requests and acceptances: the one who acted).
    User(UserId),
    /// A post (likes, comments).
    Post(PostId),
    /// A chat (being added to a group).
    Chat(ChatId),
}

impl Subject {
    /// The wire and storage spelling of its type: `user`, `post`, `chat`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::Post(_) => "post",
            Self::Chat(_) => "chat",
        }
    }

    /// The id of the thing.
    pub const fn id(&self) -> Uuid {
        match self {
            Self::User(id) => id.as_uuid(),
            Self::Post(id) => id.as_uuid(),
            Self::Chat(id) => id.as_uuid(),
        }
    }

    /// Reads a stored `(type, id)` back.
    pub fn from_parts(kind: &str, id: Uuid) -> Result<Self, String> {
        Ok(match kind {
            "user" => Self::User(UserId::from_uuid(id)),
            "post" => Self::Post(PostId::from_uuid(id)),
            "chat" => Self::Chat(ChatId::from_uuid(id)),
            other => return Err(format!("unknown notification subject type {other:?}")),
        })
    }
}

/// A notification of one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Id (v7: newest sorts last).
    pub id: NotificationId,
    /// Who gets it.
    pub recipient: UserId,
    /// Who caused it.
    pub actor: UserId,
    /// What happened.
    pub kind: NotificationKind,
    /// What it is about.
    pub subject: Subject,
    /// When it happened.
    pub created_at: OffsetDateTime,
    /// Whether the recipient has read it.
    pub read: bool,
}

impl Notification {
    /// A new, unread notification, made `at` the moment of the change that causes it.
    pub fn new(
        recipient: UserId,
        actor: UserId,
        kind: NotificationKind,
        subject: Subject,
        at: OffsetDateTime,
    ) -> Self {
        Self {
            id: NotificationId::new(),
            recipient,
            actor,
            kind,
            subject,
            created_at: at,
            read: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_spelling() {
        for kind in [
            NotificationKind::FriendRequest,
            NotificationKind::FriendAccepted,
            NotificationKind::PostLiked,
            NotificationKind::PostCommented,
            NotificationKind::ChatAdded,
        ] {
            assert_eq!(kind.as_str().parse::<NotificationKind>(), Ok(kind));
        }
        assert!("poke".parse::<NotificationKind>().is_err());
    }

    #[test]
    fn subjects_round_trip_through_their_parts() {
        let id = Uuid::now_v7();
        for subject in [
            Subject::User(UserId::from_uuid(id)),
            Subject::Post(PostId::from_uuid(id)),
            Subject::Chat(ChatId::from_uuid(id)),
        ] {
            assert_eq!(
                Subject::from_parts(subject.kind(), subject.id()),
                Ok(subject)
            );
        }
        assert!(Subject::from_parts("poke", id).is_err());
    }
}

//! Notifications: something happened that a user should know about.

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::UserId;

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

/// A notification of one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Id (v7: newest sorts last).
    pub id: Uuid,
    /// Who gets it.
    pub recipient: UserId,
    /// Who caused it.
    pub actor: UserId,
    /// What happened.
    pub kind: NotificationKind,
    /// The kind of thing it is about: `user`, `post`, `chat`.
    pub subject_type: String,
    /// The id of that thing.
    pub subject_id: Uuid,
    /// When it happened.
    pub created_at: OffsetDateTime,
    /// Whether the recipient has read it.
    pub read: bool,
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
}

//! Typed identifiers. All are UUID v7, so they sort by creation time and index well.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered (v7) identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID (from storage or a token).
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

id_type!(
    /// Identifies a user (a samurai).
    UserId
);
id_type!(
    /// Identifies one login session (one device) of a user.
    SessionId
);
id_type!(
    /// Identifies a photo.
    PhotoId
);
id_type!(
    /// Identifies a post on a wall.
    PostId
);
id_type!(
    /// Identifies a chat (direct or group).
    ChatId
);
id_type!(
    /// Identifies a chat message. Within a chat, ids increase in the order messages were
    /// stored (the store makes sure of it), so they are also the history's order.
    MessageId
);
id_type!(
    /// Identifies a notification.
    NotificationId
);
id_type!(
    /// Identifies a domain event (its envelope), so a redelivery can be recognised.
    EventId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_time_ordered_v7_uuids() {
        let first = UserId::new();
        let second = UserId::new();
        assert_eq!(first.as_uuid().get_version_num(), 7);
        assert!(first < second);
    }

    #[test]
    fn an_id_round_trips_through_its_string_form() {
        let id = SessionId::new();
        let parsed: SessionId = id.to_string().parse().unwrap();
        assert_eq!(parsed, id);
    }

    #[test]
    fn a_malformed_id_does_not_parse() {
        assert!("not-a-uuid".parse::<UserId>().is_err());
    }
}

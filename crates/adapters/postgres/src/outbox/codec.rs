//! The stored form of an event's payload: JSON that names its kind, in plain strings and ids.
//!
//! A mirror of [`DomainEvent`] with serde, kept here because the domain and application crates
//! carry no serialisation. A row written by an older build must still read: add fields as
//! optional, never rename one.

use anyhow::anyhow;
use sakura_application::StoreError;
use sakura_application::events::DomainEvent;
use sakura_domain::friends::Relation;
use sakura_domain::notifications::{Notification, NotificationKind, Subject};
use sakura_domain::users::{Privacy, Settings};
use sakura_domain::{ChatId, MessageId, NotificationId, SessionId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::chat_codec::{self, StoredChat, StoredMessage, StoredReaction};

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Stored {
    SessionsRevoked {
        user_id: Uuid,
        session_ids: Vec<Uuid>,
    },
    FriendshipUpdated {
        user_id: Uuid,
        other_user_id: Uuid,
        relation: String,
    },
    NotificationCreated {
        id: Uuid,
        recipient: Uuid,
        actor: Uuid,
        notification_kind: String,
        subject_type: String,
        subject_id: Uuid,
        #[serde(with = "time::serde::rfc3339")]
        created_at: OffsetDateTime,
        read: bool,
    },
    SettingsUpdated {
        user_id: Uuid,
        theme: String,
        profile: String,
        friends: String,
        photos: String,
        messages: String,
    },
    MessageNew {
        message: StoredMessage,
        reply_hidden_for: Vec<Uuid>,
    },
    MessageEdited {
        message: StoredMessage,
        reply_hidden_for: Vec<Uuid>,
    },
    MessageDeleted {
        chat_id: Uuid,
        message_id: Uuid,
    },
    MessageReactions {
        chat_id: Uuid,
        message_id: Uuid,
        reactions: Vec<StoredReaction>,
    },
    ChatRead {
        chat_id: Uuid,
        user_id: Uuid,
        message_id: Uuid,
    },
    ChatUpdated {
        chat: StoredChat,
    },
    // The three below are published without an outbox row today (typing and presence are
    // ephemeral, notification reads best effort); they are stored like any other if one is.
    Typing {
        chat_id: Uuid,
        user_id: Uuid,
    },
    NotificationsRead {
        user_id: Uuid,
        ids: Option<Vec<Uuid>>,
    },
    Presence {
        user_id: Uuid,
        online: bool,
        #[serde(with = "time::serde::rfc3339::option")]
        last_seen_at: Option<OffsetDateTime>,
    },
}

fn uuids(ids: &[UserId]) -> Vec<Uuid> {
    ids.iter().map(UserId::as_uuid).collect()
}

fn users(ids: Vec<Uuid>) -> Vec<UserId> {
    ids.into_iter().map(UserId::from_uuid).collect()
}

/// The JSON stored for `event`.
pub(crate) fn encode(event: &DomainEvent) -> Result<serde_json::Value, StoreError> {
    let stored = match event {
        DomainEvent::SessionsRevoked {
            user_id,
            session_ids,
        } => Stored::SessionsRevoked {
            user_id: user_id.as_uuid(),
            session_ids: session_ids.iter().map(SessionId::as_uuid).collect(),
        },
        DomainEvent::FriendshipUpdated {
            user_id,
            other_user_id,
            relation,
        } => Stored::FriendshipUpdated {
            user_id: user_id.as_uuid(),
            other_user_id: other_user_id.as_uuid(),
            relation: relation.as_str().to_owned(),
        },
        DomainEvent::NotificationCreated(n) => Stored::NotificationCreated {
            id: n.id.as_uuid(),
            recipient: n.recipient.as_uuid(),
            actor: n.actor.as_uuid(),
            notification_kind: n.kind.as_str().to_owned(),
            subject_type: n.subject.kind().to_owned(),
            subject_id: n.subject.id(),
            created_at: n.created_at,
            read: n.read,
        },
        DomainEvent::SettingsUpdated { user_id, settings } => Stored::SettingsUpdated {
            user_id: user_id.as_uuid(),
            theme: settings.theme.as_str().to_owned(),
            profile: settings.privacy.profile.as_str().to_owned(),
            friends: settings.privacy.friends.as_str().to_owned(),
            photos: settings.privacy.photos.as_str().to_owned(),
            messages: settings.privacy.messages.as_str().to_owned(),
        },
        DomainEvent::MessageNew {
            message,
            reply_hidden_for,
        } => Stored::MessageNew {
            message: chat_codec::message(message),
            reply_hidden_for: uuids(reply_hidden_for),
        },
        DomainEvent::MessageEdited {
            message,
            reply_hidden_for,
        } => Stored::MessageEdited {
            message: chat_codec::message(message),
            reply_hidden_for: uuids(reply_hidden_for),
        },
        DomainEvent::MessageDeleted {
            chat_id,
            message_id,
        } => Stored::MessageDeleted {
            chat_id: chat_id.as_uuid(),
            message_id: message_id.as_uuid(),
        },
        DomainEvent::MessageReactions {
            chat_id,
            message_id,
            reactions,
        } => Stored::MessageReactions {
            chat_id: chat_id.as_uuid(),
            message_id: message_id.as_uuid(),
            reactions: chat_codec::reactions(reactions),
        },
        DomainEvent::ChatRead {
            chat_id,
            user_id,
            message_id,
        } => Stored::ChatRead {
            chat_id: chat_id.as_uuid(),
            user_id: user_id.as_uuid(),
            message_id: message_id.as_uuid(),
        },
        DomainEvent::ChatUpdated(snapshot) => Stored::ChatUpdated {
            chat: chat_codec::chat(snapshot),
        },
        DomainEvent::Typing { chat_id, user_id } => Stored::Typing {
            chat_id: chat_id.as_uuid(),
            user_id: user_id.as_uuid(),
        },
        DomainEvent::NotificationsRead { user_id, ids } => Stored::NotificationsRead {
            user_id: user_id.as_uuid(),
            ids: ids
                .as_ref()
                .map(|ids| ids.iter().map(NotificationId::as_uuid).collect()),
        },
        DomainEvent::Presence {
            user_id,
            online,
            last_seen_at,
        } => Stored::Presence {
            user_id: user_id.as_uuid(),
            online: *online,
            last_seen_at: *last_seen_at,
        },
    };
    serde_json::to_value(stored).map_err(|e| StoreError::Other(anyhow!(e).context("encode event")))
}

pub(super) fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(anyhow!("stored event: {what}"))
}

fn parse<T: std::str::FromStr>(text: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| corrupt(format!("unknown value {text:?}")))
}

/// The event a stored JSON payload describes.
pub(crate) fn decode(json: serde_json::Value) -> Result<DomainEvent, StoreError> {
    let stored: Stored = serde_json::from_value(json).map_err(corrupt)?;
    Ok(match stored {
        Stored::SessionsRevoked {
            user_id,
            session_ids,
        } => DomainEvent::SessionsRevoked {
            user_id: UserId::from_uuid(user_id),
            session_ids: session_ids.into_iter().map(SessionId::from_uuid).collect(),
        },
        Stored::FriendshipUpdated {
            user_id,
            other_user_id,
            relation,
        } => DomainEvent::FriendshipUpdated {
            user_id: UserId::from_uuid(user_id),
            other_user_id: UserId::from_uuid(other_user_id),
            relation: Relation::parse(&relation)
                .ok_or_else(|| corrupt(format!("unknown relation {relation:?}")))?,
        },
        Stored::NotificationCreated {
            id,
            recipient,
            actor,
            notification_kind,
            subject_type,
            subject_id,
            created_at,
            read,
        } => DomainEvent::NotificationCreated(Notification {
            id: NotificationId::from_uuid(id),
            recipient: UserId::from_uuid(recipient),
            actor: UserId::from_uuid(actor),
            kind: notification_kind
                .parse::<NotificationKind>()
                .map_err(corrupt)?,
            subject: Subject::from_parts(&subject_type, subject_id).map_err(corrupt)?,
            created_at,
            read,
        }),
        Stored::SettingsUpdated {
            user_id,
            theme,
            profile,
            friends,
            photos,
            messages,
        } => DomainEvent::SettingsUpdated {
            user_id: UserId::from_uuid(user_id),
            settings: Settings {
                theme: parse(&theme)?,
                privacy: Privacy {
                    profile: parse(&profile)?,
                    friends: parse(&friends)?,
                    photos: parse(&photos)?,
                    messages: parse(&messages)?,
                },
            },
        },
        Stored::MessageNew {
            message,
            reply_hidden_for,
        } => DomainEvent::MessageNew {
            message: chat_codec::read_message(message)?,
            reply_hidden_for: users(reply_hidden_for),
        },
        Stored::MessageEdited {
            message,
            reply_hidden_for,
        } => DomainEvent::MessageEdited {
            message: chat_codec::read_message(message)?,
            reply_hidden_for: users(reply_hidden_for),
        },
        Stored::MessageDeleted {
            chat_id,
            message_id,
        } => DomainEvent::MessageDeleted {
            chat_id: ChatId::from_uuid(chat_id),
            message_id: MessageId::from_uuid(message_id),
        },
        Stored::MessageReactions {
            chat_id,
            message_id,
            reactions,
        } => DomainEvent::MessageReactions {
            chat_id: ChatId::from_uuid(chat_id),
            message_id: MessageId::from_uuid(message_id),
            reactions: chat_codec::read_reactions(reactions)?,
        },
        Stored::ChatRead {
            chat_id,
            user_id,
            message_id,
        } => DomainEvent::ChatRead {
            chat_id: ChatId::from_uuid(chat_id),
            user_id: UserId::from_uuid(user_id),
            message_id: MessageId::from_uuid(message_id),
        },
        Stored::ChatUpdated { chat } => DomainEvent::ChatUpdated(chat_codec::read_chat(chat)?),
        Stored::Typing { chat_id, user_id } => DomainEvent::Typing {
            chat_id: ChatId::from_uuid(chat_id),
            user_id: UserId::from_uuid(user_id),
        },
        Stored::NotificationsRead { user_id, ids } => DomainEvent::NotificationsRead {
            user_id: UserId::from_uuid(user_id),
            ids: ids.map(|ids| ids.into_iter().map(NotificationId::from_uuid).collect()),
        },
        Stored::Presence {
            user_id,
            online,
            last_seen_at,
        } => DomainEvent::Presence {
            user_id: UserId::from_uuid(user_id),
            online,
            last_seen_at,
        },
    })
}

#[cfg(test)]
mod tests {
    use sakura_domain::users::{MessagesPrivacy, PrivacyLevel, Theme};

    use super::*;

    fn round_trip(event: &DomainEvent) {
        let json = encode(event).unwrap();
        assert_eq!(&decode(json).unwrap(), event);
    }

    #[test]
    fn every_kind_of_event_reads_back_as_it_was_written() {
        let (a, b) = (UserId::new(), UserId::new());
        round_trip(&DomainEvent::Typing {
            chat_id: ChatId::new(),
            user_id: a,
        });
        round_trip(&DomainEvent::NotificationsRead {
            user_id: a,
            ids: Some(vec![NotificationId::new()]),
        });
        round_trip(&DomainEvent::NotificationsRead {
            user_id: a,
            ids: None,
        });
        for last_seen_at in [
            None,
            Some(time::macros::datetime!(2026-12-05 12:00:00.5 UTC)),
        ] {
            round_trip(&DomainEvent::Presence {
                user_id: b,
                online: last_seen_at.is_none(),
                last_seen_at,
            });
        }
        round_trip(&DomainEvent::SessionsRevoked {
            user_id: a,
            session_ids: vec![SessionId::new(), SessionId::new()],
        });
        for relation in Relation::ALL {
            round_trip(&DomainEvent::FriendshipUpdated {
                user_id: a,
                other_user_id: b,
                relation: *relation,
            });
        }
        round_trip(&DomainEvent::NotificationCreated(Notification::new(
            b,
            a,
            NotificationKind::FriendRequest,
            Subject::User(a),
            sakura_domain::clock::now(),
        )));
        let settings = Settings {
            theme: Theme::Dark,
            privacy: Privacy {
                friends: PrivacyLevel::Friends,
                messages: MessagesPrivacy::Nobody,
                ..Privacy::default()
            },
        };
        round_trip(&DomainEvent::SettingsUpdated {
            user_id: a,
            settings,
        });
    }

    #[test]
    fn a_payload_it_cannot_read_is_an_error_not_a_panic() {
        let json = serde_json::json!({"kind": "friendship_updated", "user_id": Uuid::nil(),
            "other_user_id": Uuid::nil(), "relation": "enemies"});
        assert!(decode(json).is_err());
        assert!(decode(serde_json::json!({"kind": "poke"})).is_err());
    }
}

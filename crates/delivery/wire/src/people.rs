//! People, friendships, blocks and notifications on the wire.

use sakura_application::blocks::BlockedUser;
use sakura_application::friends::{FriendRequest, FriendshipOutcome};
use sakura_application::notifications::NotificationView;
use sakura_application::ports::RequestDirection;
use sakura_application::users::{PublicProfile, SuggestedPerson};
use sakura_domain::friends::Relation;
use sakura_domain::notifications::{NotificationKind, Subject};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{FriendshipDto, UserDto};

/// Where the bytes of a blob are served: `/media/{key}` (relative, so it works behind any host).
pub fn media_url(key: &str) -> String {
    format!("/media/{key}")
}

impl From<Relation> for FriendshipDto {
    fn from(relation: Relation) -> Self {
        match relation {
            Relation::Myself => Self::Myself,
            Relation::None => Self::None,
            Relation::OutgoingRequest => Self::OutgoingRequest,
            Relation::IncomingRequest => Self::IncomingRequest,
            Relation::Friends => Self::Friends,
            Relation::Blocked => Self::Blocked,
        }
    }
}

impl From<&PublicProfile> for UserDto {
    fn from(p: &PublicProfile) -> Self {
        Self {
            id: p.id.as_uuid(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            avatar_url: p.avatar_key.as_deref().map(media_url),
            bio: p.bio.clone(),
            city: p.city.clone(),
            birth_date: p.birth_date,
            online: p.online,
            last_seen_at: p.last_seen_at,
            friends_count: p.friends_count,
            photos_count: p.photos_count,
            friendship: p.relation.into(),
        }
    }
}

/// A user in short: enough to show a name and a face.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserSummaryDto {
    /// Id.
    #[schema(example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub id: Uuid,
    /// First name.
    #[schema(example = "Aiko")]
    pub first_name: String,
    /// Last name.
    #[schema(example = "Tanaka")]
    pub last_name: String,
    /// URL of the avatar image.
    #[schema(
        example = "/media/3f9a6c0d2b8e4f71a5c9d0e1b2f3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5.jpg"
    )]
    pub avatar_url: Option<String>,
}

impl From<&PublicProfile> for UserSummaryDto {
    fn from(p: &PublicProfile) -> Self {
        Self {
            id: p.id.as_uuid(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            avatar_url: p.avatar_key.as_deref().map(media_url),
        }
    }
}

/// Someone I may know.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionDto {
    /// The person.
    #[serde(flatten)]
    pub user: UserDto,
    /// Friends we share.
    #[schema(example = 3)]
    pub mutual_friends_count: u64,
}

impl From<&SuggestedPerson> for SuggestionDto {
    fn from(s: &SuggestedPerson) -> Self {
        Self {
            user: UserDto::from(&s.profile),
            mutual_friends_count: s.mutual_friends,
        }
    }
}

/// Where a friendship stands after a request or an accept.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FriendshipStatusDto {
    /// The other user's id.
    #[schema(example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub user_id: Uuid,
    /// My relation to them now: `outgoing_request` or `friends`.
    pub friendship: FriendshipDto,
    /// The other user as I now see them.
    pub user: UserDto,
    /// For a request just sent: `outgoing`, as in the requests list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<RequestDirectionDto>,
    /// For a request just sent: when, as in the requests list.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = Option<String>, format = DateTime)]
    pub created_at: Option<OffsetDateTime>,
}

impl From<&FriendshipOutcome> for FriendshipStatusDto {
    fn from(o: &FriendshipOutcome) -> Self {
        Self {
            user_id: o.profile.id.as_uuid(),
            friendship: o.relation.into(),
            user: UserDto::from(&o.profile),
            direction: o.requested_at.map(|_| RequestDirectionDto::Outgoing),
            created_at: o.requested_at,
        }
    }
}

/// Which way a friend request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestDirectionDto {
    /// Sent to me.
    Incoming,
    /// Sent by me.
    Outgoing,
}

impl From<RequestDirection> for RequestDirectionDto {
    fn from(direction: RequestDirection) -> Self {
        match direction {
            RequestDirection::Incoming => Self::Incoming,
            RequestDirection::Outgoing => Self::Outgoing,
        }
    }
}

/// A pending friend request.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FriendRequestDto {
    /// The other user.
    pub user: UserDto,
    /// `incoming` (to me) or `outgoing` (from me).
    pub direction: RequestDirectionDto,
    /// When it was sent.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl From<&FriendRequest> for FriendRequestDto {
    fn from(r: &FriendRequest) -> Self {
        Self {
            user: UserDto::from(&r.user),
            direction: r.direction.into(),
            created_at: r.created_at,
        }
    }
}

/// Someone I blocked.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockDto {
    /// Them.
    pub user: UserDto,
    /// Since when.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = String, format = DateTime)]
    pub blocked_at: OffsetDateTime,
}

impl From<&BlockedUser> for BlockDto {
    fn from(b: &BlockedUser) -> Self {
        Self {
            user: UserDto::from(&b.user),
            blocked_at: b.blocked_at,
        }
    }
}

/// What kind of thing a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectTypeDto {
    /// A person: `id` is a user id.
    User,
    /// A post: `id` is a post id.
    Post,
    /// A chat: `id` is a chat id.
    Chat,
}

impl From<&Subject> for SubjectTypeDto {
    fn from(subject: &Subject) -> Self {
        match subject {
            Subject::User(_) => Self::User,
            Subject::Post(_) => Self::Post,
            Subject::Chat(_) => Self::Chat,
        }
    }
}

/// What a notification is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectDto {
    /// `user`, `post` or `chat`.
    #[serde(rename = "type")]
    pub kind: SubjectTypeDto,
    /// Its id.
    #[schema(example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub id: Uuid,
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKindDto {
    /// Someone asked to be friends (subject: them).
    FriendRequest,
    /// Someone accepted my request (subject: them).
    FriendAccepted,
    /// Someone liked my post (subject: the post).
    PostLiked,
    /// Someone commented on my post (subject: the post).
    PostCommented,
    /// Someone added me to a chat (subject: the chat).
    ChatAdded,
}

impl From<NotificationKind> for NotificationKindDto {
    fn from(kind: NotificationKind) -> Self {
        match kind {
            NotificationKind::FriendRequest => Self::FriendRequest,
            NotificationKind::FriendAccepted => Self::FriendAccepted,
            NotificationKind::PostLiked => Self::PostLiked,
            NotificationKind::PostCommented => Self::PostCommented,
            NotificationKind::ChatAdded => Self::ChatAdded,
        }
    }
}

/// A notification.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationDto {
    /// Id.
    #[schema(example = "0192f5e1-2d3c-7a4b-8e5f-6a7b8c9d0e1f")]
    pub id: Uuid,
    /// `friend_request`, `friend_accepted`, `post_liked`, `post_commented` or `chat_added`.
    pub kind: NotificationKindDto,
    /// Who caused it (`null` if their account is gone).
    pub actor: Option<UserSummaryDto>,
    /// What it is about.
    pub subject: SubjectDto,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Whether I read it.
    pub read: bool,
}

impl From<&NotificationView> for NotificationDto {
    fn from(v: &NotificationView) -> Self {
        let n = &v.notification;
        Self {
            id: n.id.as_uuid(),
            kind: n.kind.into(),
            actor: v.actor.as_ref().map(UserSummaryDto::from),
            subject: SubjectDto {
                kind: SubjectTypeDto::from(&n.subject),
                id: n.subject.id(),
            },
            created_at: n.created_at,
            read: n.read,
        }
    }
}

/// Unread badges.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnreadCountDto {
    /// Unread notifications.
    #[schema(example = 3)]
    pub notifications: u64,
    /// Unread chat messages.
    #[schema(example = 12)]
    pub messages: u64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use sakura_domain::{ChatId, PostId, UserId};

    use super::*;

    fn wire<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn notification_kinds_go_over_the_wire_as_the_domain_spells_them() {
        for kind in [
            NotificationKind::FriendRequest,
            NotificationKind::FriendAccepted,
            NotificationKind::PostLiked,
            NotificationKind::PostCommented,
            NotificationKind::ChatAdded,
        ] {
            assert_eq!(wire(NotificationKindDto::from(kind)), kind.as_str());
        }
    }

    #[test]
    fn subject_types_go_over_the_wire_as_the_domain_spells_them() {
        let id = Uuid::now_v7();
        for subject in [
            Subject::User(UserId::from_uuid(id)),
            Subject::Post(PostId::from_uuid(id)),
            Subject::Chat(ChatId::from_uuid(id)),
        ] {
            assert_eq!(wire(SubjectTypeDto::from(&subject)), subject.kind());
        }
    }

    #[test]
    fn request_directions_are_spelt_in_lower_case() {
        assert_eq!(
            wire(RequestDirectionDto::from(RequestDirection::Incoming)),
            "incoming"
        );
        assert_eq!(
            wire(RequestDirectionDto::from(RequestDirection::Outgoing)),
            "outgoing"
        );
    }
}

//! Sakura's wire types: what goes over HTTP (and, with realtime, WebSocket frames), in camelCase,
//! with their OpenAPI schemas.
//!
//! # Layout
//! - `users`, `people`, `photos`, `chats`, `auth`: the DTOs of each feature and their `From` conversions
//!   from the application's views (a user, a profile, a notification, a photo, a session).
//! - [`Page`]: the envelope of every cursor-paginated list.
//! - [`Problem`], [`FieldError`]: the body of every error (RFC 9457 problem details).
//!
//! Plain serde data: no web framework here, so the HTTP and WebSocket crates send the same
//! shapes (a `NotificationDto` in a list and in a `notification.new` frame are one type).

mod auth;
mod chats;
mod page;
mod people;
mod photos;
mod problem;
mod users;

pub use auth::{SessionDto, TokenResponse};
pub use chats::{ChatDto, ChatKindDto, MessageDto, ReactionDto, ReactionsDto, ReplyDto};
pub use page::Page;
pub use people::media_url;
pub use people::{
    BlockDto, FriendRequestDto, FriendshipStatusDto, NotificationDto, NotificationKindDto,
    RequestDirectionDto, SubjectDto, SubjectTypeDto, SuggestionDto, UnreadCountDto, UserSummaryDto,
};
pub use photos::PhotoDto;
pub use problem::{DependencyState, FieldError, HealthChecks, Problem};
pub use users::{
    FriendshipDto, MeDto, MessagesPrivacyDto, PrivacyDto, PrivacyLevelDto, SettingsDto, ThemeDto,
    UserDto,
};

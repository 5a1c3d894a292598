//! Wire types: what goes over HTTP, in camelCase, with their OpenAPI schemas.

mod auth;
mod page;
mod people;
mod photos;
mod users;

pub use auth::{SessionDto, TokenResponse};
pub use page::Page;
pub use people::media_url;
pub use people::{
    BlockDto, FriendRequestDto, FriendshipStatusDto, NotificationDto, SubjectDto, SuggestionDto,
    UnreadCountDto, UserSummaryDto,
};
pub use photos::PhotoDto;
pub use users::{FriendshipDto, MeDto, PrivacyDto, SettingsDto, UserDto};

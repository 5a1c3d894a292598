//! Wire types: what goes over HTTP, in camelCase, with their OpenAPI schemas.

mod auth;
mod page;
mod users;

pub use auth::{SessionDto, TokenResponse};
pub use page::Page;
pub use users::{FriendshipDto, MeDto, PrivacyDto, SettingsDto, UserDto};

//! Users on the wire.

use sakura_domain::users::{Settings, User};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

// Dates go over the wire as `YYYY-MM-DD` (time's own serde format is a tuple).
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// The caller's relation to a user.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FriendshipDto {
    /// The caller themselves.
    #[serde(rename = "self")]
    Myself,
    /// No relation.
    None,
    /// The caller asked to be friends.
    OutgoingRequest,
    /// They asked the caller.
    IncomingRequest,
    /// Friends.
    Friends,
    /// The caller blocked them.
    Blocked,
}

/// A user's public profile. Fields hidden by their privacy settings are `null`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    /// Id.
    pub id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// URL of the avatar image.
    pub avatar_url: Option<String>,
    /// About them.
    pub bio: Option<String>,
    /// Home city.
    pub city: Option<String>,
    /// Birth date, `YYYY-MM-DD`.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub birth_date: Option<Date>,
    /// Whether they have a socket open now.
    pub online: bool,
    /// When they were last online.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_seen_at: Option<OffsetDateTime>,
    /// Number of friends (`null` when their privacy hides their friends).
    pub friends_count: Option<u64>,
    /// Number of photos (`null` when their privacy hides their photos).
    pub photos_count: Option<u64>,
    /// Relation to the caller.
    pub friendship: FriendshipDto,
}

/// Privacy choices.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyDto {
    /// Who sees bio, city and birth date: `everyone` or `friends`.
    #[schema(example = "everyone")]
    pub profile: String,
    /// Who sees the friends list: `everyone` or `friends`.
    #[schema(example = "everyone")]
    pub friends: String,
    /// Who sees the photos: `everyone` or `friends`.
    #[schema(example = "everyone")]
    pub photos: String,
    /// Who may message: `everyone`, `friends` or `nobody`.
    #[schema(example = "everyone")]
    pub messages: String,
}

/// A user's settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    /// `light` or `dark`.
    #[schema(example = "light")]
    pub theme: String,
    /// Privacy choices.
    pub privacy: PrivacyDto,
}

impl From<&Settings> for SettingsDto {
    fn from(settings: &Settings) -> Self {
        Self {
            theme: settings.theme.as_str().to_owned(),
            privacy: PrivacyDto {
                profile: settings.privacy.profile.as_str().to_owned(),
                friends: settings.privacy.friends.as_str().to_owned(),
                photos: settings.privacy.photos.as_str().to_owned(),
                messages: settings.privacy.messages.as_str().to_owned(),
            },
        }
    }
}

/// My own profile: the public view plus my email and settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeDto {
    /// The public view of me.
    #[serde(flatten)]
    pub user: UserDto,
    /// My sign-in address.
    pub email: String,
    /// My settings.
    pub settings: SettingsDto,
    /// When I registered.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl MeDto {
    /// My profile as I see it.
    ///
    /// `profile` is my own public view (with my counts); presence arrives with realtime.
    pub fn new(user: &User, profile: &sakura_application::users::PublicProfile) -> Self {
        Self {
            user: UserDto::from(profile),
            email: user.email.as_str().to_owned(),
            settings: SettingsDto::from(&user.settings),
            created_at: user.created_at,
        }
    }
}

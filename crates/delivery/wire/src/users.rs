//! Users on the wire.

use sakura_domain::users::{MessagesPrivacy, PrivacyLevel, Settings, Theme, User};
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
    /// About them.
    #[schema(example = "Photographer in Tokyo.")]
    pub bio: Option<String>,
    /// Home city.
    #[schema(example = "Tokyo")]
    pub city: Option<String>,
    /// Birth date, `YYYY-MM-DD`.
    #[serde(with = "iso_date::option")]
    #[schema(example = "1990-04-01", value_type = Option<String>, format = Date)]
    pub birth_date: Option<Date>,
    /// Whether they have a socket open now.
    pub online: bool,
    /// When they were last online.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = Option<String>, format = DateTime)]
    pub last_seen_at: Option<OffsetDateTime>,
    /// Number of friends (`null` when their privacy hides their friends).
    #[schema(example = 42)]
    pub friends_count: Option<u64>,
    /// Number of photos (`null` when their privacy hides their photos).
    #[schema(example = 7)]
    pub photos_count: Option<u64>,
    /// Relation to the caller.
    pub friendship: FriendshipDto,
}

/// The colour theme of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThemeDto {
    /// Dark text on light backgrounds (the default).
    Light,
    /// Light text on dark backgrounds.
    Dark,
}

impl From<Theme> for ThemeDto {
    fn from(theme: Theme) -> Self {
        match theme {
            Theme::Light => Self::Light,
            Theme::Dark => Self::Dark,
        }
    }
}

/// Who may see a part of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyLevelDto {
    /// Anyone signed in (the default).
    Everyone,
    /// Only friends.
    Friends,
}

impl From<PrivacyLevel> for PrivacyLevelDto {
    fn from(level: PrivacyLevel) -> Self {
        match level {
            PrivacyLevel::Everyone => Self::Everyone,
            PrivacyLevel::Friends => Self::Friends,
        }
    }
}

/// Who may start a conversation with a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessagesPrivacyDto {
    /// Anyone signed in (the default).
    Everyone,
    /// Only friends.
    Friends,
    /// No one.
    Nobody,
}

impl From<MessagesPrivacy> for MessagesPrivacyDto {
    fn from(level: MessagesPrivacy) -> Self {
        match level {
            MessagesPrivacy::Everyone => Self::Everyone,
            MessagesPrivacy::Friends => Self::Friends,
            MessagesPrivacy::Nobody => Self::Nobody,
        }
    }
}

/// Privacy choices.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyDto {
    /// Who sees bio, city and birth date.
    pub profile: PrivacyLevelDto,
    /// Who sees the friends list.
    pub friends: PrivacyLevelDto,
    /// Who sees the photos.
    pub photos: PrivacyLevelDto,
    /// Who may message.
    pub messages: MessagesPrivacyDto,
}

/// A user's settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    /// The colour theme.
    pub theme: ThemeDto,
    /// Privacy choices.
    pub privacy: PrivacyDto,
}

impl From<&Settings> for SettingsDto {
    fn from(settings: &Settings) -> Self {
        Self {
            theme: settings.theme.into(),
            privacy: PrivacyDto {
                profile: settings.privacy.profile.into(),
                friends: settings.privacy.friends.into(),
                photos: settings.privacy.photos.into(),
                messages: settings.privacy.messages.into(),
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
    #[schema(example = "aiko@example.com")]
    pub email: String,
    /// My settings.
    pub settings: SettingsDto,
    /// When I registered.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-01-15T09:30:00Z", value_type = String, format = DateTime)]
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn wire<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn settings_values_go_over_the_wire_as_the_domain_spells_them() {
        for &theme in Theme::ALL {
            assert_eq!(wire(ThemeDto::from(theme)), theme.as_str());
        }
        for &level in PrivacyLevel::ALL {
            assert_eq!(wire(PrivacyLevelDto::from(level)), level.as_str());
        }
        for &level in MessagesPrivacy::ALL {
            assert_eq!(wire(MessagesPrivacyDto::from(level)), level.as_str());
        }
    }

    #[test]
    fn relations_go_over_the_wire_as_the_domain_spells_them() {
        for &relation in sakura_domain::friends::Relation::ALL {
            assert_eq!(wire(FriendshipDto::from(relation)), relation.as_str());
        }
    }
}

//! Where users live (PostgreSQL in production).

use async_trait::async_trait;
use sakura_domain::UserId;
use sakura_domain::users::{MessagesPrivacy, PersonName, PrivacyLevel, Settings, Theme, User};
use time::{Date, OffsetDateTime};

use super::PasswordHash;
use crate::StoreError;
use crate::events::{Announce, Committed};

/// The unique key a second account with the same email (compared case-insensitively) hits.
pub const EMAIL_KEY: &str = "users_email_normalized_key";

/// A user to be stored, with their password hash.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The user.
    pub user: User,
    /// bcrypt hash of their password.
    pub password_hash: PasswordHash,
}

/// A partial profile update: `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfilePatch {
    /// New first name.
    pub first_name: Option<PersonName>,
    /// New last name.
    pub last_name: Option<PersonName>,
    /// New bio, or cleared.
    pub bio: Option<Option<String>>,
    /// New city, or cleared.
    pub city: Option<Option<String>>,
    /// New birth date, or cleared.
    pub birth_date: Option<Option<Date>>,
}

impl ProfilePatch {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A partial settings update: `None` leaves a setting as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettingsPatch {
    /// New theme.
    pub theme: Option<Theme>,
    /// Who sees bio, city, birth date.
    pub profile: Option<PrivacyLevel>,
    /// Who sees the friends list.
    pub friends: Option<PrivacyLevel>,
    /// Who sees the photos.
    pub photos: Option<PrivacyLevel>,
    /// Who may message.
    pub messages: Option<MessagesPrivacy>,
}

/// The system of record for users.
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Stores a new user.
    /// Errors: `Conflict(EMAIL_KEY)` when the email is taken (compared case-insensitively).
    async fn create(&self, new_user: &NewUser) -> Result<(), StoreError>;

    /// The user with this id, if any.
    async fn find_by_id(&self, id: UserId) -> Result<Option<User>, StoreError>;

    /// The user whose normalized (lower-case) email this is, with their password hash.
    async fn find_credentials_by_email(
        &self,
        normalized_email: &str,
    ) -> Result<Option<(User, PasswordHash)>, StoreError>;

    /// The password hash of a user, if the user exists.
    async fn password_hash(&self, id: UserId) -> Result<Option<PasswordHash>, StoreError>;

    /// Applies a partial profile update in one statement (so concurrent updates of different
    /// fields both land), stamped `at`, and returns the updated user.
    /// Errors: `NotFound` when there is no such user.
    async fn update_profile(
        &self,
        id: UserId,
        patch: &ProfilePatch,
        at: OffsetDateTime,
    ) -> Result<User, StoreError>;

    /// Applies a partial settings update in one statement, stamped `at`, and writes the events
    /// `announce` makes of the settings now in force in the same transaction.
    /// Errors: `NotFound` (and nothing written) when there is no such user.
    async fn update_settings(
        &self,
        id: UserId,
        patch: &SettingsPatch,
        at: OffsetDateTime,
        announce: &Announce<'_, Settings>,
    ) -> Result<Committed<Settings>, StoreError>;

    /// Deletes a user; `false` when there was no such user.
    async fn delete(&self, id: UserId) -> Result<bool, StoreError>;

    /// Replaces a user's password hash.
    /// Errors: `NotFound` when there is no such user.
    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash) -> Result<(), StoreError>;
}

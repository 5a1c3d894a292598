//! Where users live (PostgreSQL in production).

use async_trait::async_trait;
use sakura_domain::UserId;
use sakura_domain::users::User;

use super::PasswordHash;
use crate::StoreError;

/// A user to be stored, with their password hash.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The user.
    pub user: User,
    /// bcrypt hash of their password.
    pub password_hash: PasswordHash,
}

/// The system of record for users.
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Stores a new user.
    /// Errors: `Conflict` when the email is taken (compared case-insensitively).
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

    /// Deletes a user; `false` when there was no such user.
    async fn delete(&self, id: UserId) -> Result<bool, StoreError>;

    /// Replaces a user's password hash.
    /// Errors: `NotFound` when there is no such user.
    async fn set_password_hash(&self, id: UserId, hash: &PasswordHash) -> Result<(), StoreError>;
}

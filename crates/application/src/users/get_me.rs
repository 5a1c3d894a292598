//! Reading my own profile.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::users::User;
use thiserror::Error;

use crate::StoreError;
use crate::ports::UserRepository;

/// Why my profile could not be read.
#[derive(Debug, Error)]
pub enum GetMeError {
    /// The account behind a still-valid token no longer exists.
    #[error("user not found")]
    NotFound,
    /// PostgreSQL is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<StoreError> for GetMeError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(e) => Self::Unavailable(e),
            StoreError::NotFound => Self::NotFound,
            other => Self::Unexpected(other.into()),
        }
    }
}

/// Reads the caller's full profile (email and settings included).
#[derive(Clone)]
pub struct GetMe {
    users: Arc<dyn UserRepository>,
}

impl GetMe {
    /// Wires the use case.
    pub fn new(users: Arc<dyn UserRepository>) -> Self {
        Self { users }
    }

    /// My profile.
    pub async fn execute(&self, user_id: UserId) -> Result<User, GetMeError> {
        self.users
            .find_by_id(user_id)
            .await?
            .ok_or(GetMeError::NotFound)
    }
}

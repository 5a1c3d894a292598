//! Editing my page.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::users::User;
use thiserror::Error;

use crate::StoreError;
use crate::ports::{Clock, ProfilePatch, UserRepository};

/// Why a profile edit failed.
#[derive(Debug, Error)]
pub enum UpdateMeError {
    /// The account is gone (deleted while the token lives on).
    #[error("no such user")]
    UnknownUser,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(UpdateMeError, StoreError::NotFound => Self::UnknownUser);

/// Applies a partial update to the caller's profile (fields already validated by the domain).
#[derive(Clone)]
pub struct UpdateMe {
    users: Arc<dyn UserRepository>,
    clock: Arc<dyn Clock>,
}

impl UpdateMe {
    /// Wires the use case.
    pub fn new(users: Arc<dyn UserRepository>, clock: Arc<dyn Clock>) -> Self {
        Self { users, clock }
    }

    /// Updates and returns my profile. An empty patch changes nothing and returns it as is.
    #[tracing::instrument(name = "update_me", skip_all, fields(%user_id))]
    pub async fn execute(
        &self,
        user_id: UserId,
        patch: ProfilePatch,
    ) -> Result<User, UpdateMeError> {
        if patch.is_empty() {
            return self
                .users
                .find_by_id(user_id)
                .await?
                .ok_or(UpdateMeError::UnknownUser);
        }
        let at = self.clock.now();
        Ok(self.users.update_profile(user_id, &patch, at).await?)
    }
}

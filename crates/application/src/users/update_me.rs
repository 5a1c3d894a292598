//! Editing my page.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::users::User;

use crate::errors::ReadError;
use crate::ports::{ProfilePatch, UserRepository};

/// Applies a partial update to the caller's profile (fields already validated by the domain).
#[derive(Clone)]
pub struct UpdateMe {
    users: Arc<dyn UserRepository>,
}

impl UpdateMe {
    /// Wires the use case.
    pub fn new(users: Arc<dyn UserRepository>) -> Self {
        Self { users }
    }

    /// Updates and returns my profile. An empty patch changes nothing and returns it as is.
    #[tracing::instrument(name = "update_me", skip_all, fields(%user_id))]
    pub async fn execute(&self, user_id: UserId, patch: ProfilePatch) -> Result<User, ReadError> {
        if patch.is_empty() {
            return self
                .users
                .find_by_id(user_id)
                .await?
                .ok_or(ReadError::NotFound);
        }
        Ok(self.users.update_profile(user_id, &patch).await?)
    }
}

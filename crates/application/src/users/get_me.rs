//! Reading my own profile.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::users::User;
use thiserror::Error;

use super::PublicProfile;
use crate::StoreError;
use crate::ports::{PeopleDirectory, UserRepository};

/// My account and my page as I see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    /// The account (email and settings included).
    pub user: User,
    /// My public view, with my counts.
    pub profile: PublicProfile,
}

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

crate::from_store_error!(GetMeError, StoreError::NotFound => Self::NotFound);

/// Reads the caller's full profile (email and settings included).
#[derive(Clone)]
pub struct GetMe {
    users: Arc<dyn UserRepository>,
    people: Arc<dyn PeopleDirectory>,
}

impl GetMe {
    /// Wires the use case.
    pub fn new(users: Arc<dyn UserRepository>, people: Arc<dyn PeopleDirectory>) -> Self {
        Self { users, people }
    }

    /// My account and page.
    pub async fn execute(&self, user_id: UserId) -> Result<Me, GetMeError> {
        let user = self
            .users
            .find_by_id(user_id)
            .await?
            .ok_or(GetMeError::NotFound)?;
        let card = self
            .people
            .cards(user_id, &[user_id])
            .await?
            .into_iter()
            .next();
        let profile = PublicProfile::own(&user, card.as_ref());
        Ok(Me { user, profile })
    }
}

//! Signing up.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::auth::Password;
use sakura_domain::users::{Email, PersonName, Settings, User};
use thiserror::Error;

use super::{AuthenticatedSession, SessionTokens};
use crate::StoreError;
use crate::ports::{EMAIL_KEY, NewUser, PasswordHasher, UserRepository};

/// A validated sign-up.
#[derive(Debug, Clone)]
pub struct RegisterCommand {
    /// First name.
    pub first_name: PersonName,
    /// Last name.
    pub last_name: PersonName,
    /// Sign-in address.
    pub email: Email,
    /// Chosen password.
    pub password: Password,
    /// The device's `User-Agent`, for the sessions list.
    pub user_agent: Option<String>,
}

/// Why a sign-up failed.
#[derive(Debug, Error)]
pub enum RegisterError {
    /// Someone already uses this email (case-insensitively).
    #[error("email already registered")]
    EmailTaken,
    /// PostgreSQL or Redis is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(
    RegisterError,
    StoreError::Conflict(key) if key == EMAIL_KEY => Self::EmailTaken,
);

/// Creates an account and logs it in on the registering device.
#[derive(Clone)]
pub struct RegisterUser {
    users: Arc<dyn UserRepository>,
    hasher: Arc<dyn PasswordHasher>,
    tokens: SessionTokens,
}

impl RegisterUser {
    /// Wires the use case.
    pub fn new(
        users: Arc<dyn UserRepository>,
        hasher: Arc<dyn PasswordHasher>,
        tokens: SessionTokens,
    ) -> Self {
        Self {
            users,
            hasher,
            tokens,
        }
    }

    /// Registers the user and opens their first session.
    #[tracing::instrument(name = "register_user", skip_all)]
    pub async fn execute(
        &self,
        command: RegisterCommand,
    ) -> Result<AuthenticatedSession, RegisterError> {
        let password_hash = self
            .hasher
            .hash(&command.password)
            .await
            .map_err(anyhow::Error::new)?;
        let user = User {
            id: UserId::new(),
            first_name: command.first_name,
            last_name: command.last_name,
            email: command.email,
            bio: None,
            city: None,
            birth_date: None,
            settings: Settings::default(),
            created_at: self.tokens.clock().now(),
        };
        self.users
            .create(&NewUser {
                user: user.clone(),
                password_hash,
            })
            .await?;
        let user_id = user.id;
        match self.tokens.start(user, command.user_agent.as_deref()).await {
            Ok(session) => {
                tracing::info!(%user_id, "user registered");
                Ok(session)
            }
            Err(error) => {
                // Without a session the sign-up failed as a whole: take the account back, so a
                // retry is not refused with `email_taken`.
                if let Err(undo) = self.users.delete(user_id).await {
                    tracing::error!(%user_id, error = %undo, "could not undo a failed sign-up");
                }
                Err(error.into())
            }
        }
    }
}

//! Changing one's password.

use std::sync::Arc;
use std::time::Duration;

use sakura_domain::auth::Password;
use thiserror::Error;

use super::{LoginLimits, Principal};
use crate::StoreError;
use crate::events::EventEnvelope;
use crate::ports::{
    Clock, EventPublisher, FailureLimiter, LimitRule, PasswordHasher, SessionStore, UserRepository,
};

/// A password change request.
#[derive(Clone)]
pub struct ChangePasswordCommand {
    /// The password now in use, as typed.
    pub current_password: String,
    /// The new one, checked against the policy.
    pub new_password: Password,
}

impl std::fmt::Debug for ChangePasswordCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordCommand(<redacted>)")
    }
}

/// Why the password was not changed.
#[derive(Debug, Error)]
pub enum ChangePasswordError {
    /// The current password is wrong.
    #[error("current password is wrong")]
    WrongPassword,
    /// Too many wrong current passwords lately.
    #[error("too many failed attempts")]
    RateLimited {
        /// How long until another attempt is allowed.
        retry_after: Duration,
    },
    /// The account no longer exists.
    #[error("user not found")]
    UserNotFound,
    /// PostgreSQL or Redis is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(ChangePasswordError, StoreError::NotFound => Self::UserNotFound);

/// Checks the current password, stores the new one and logs out every other device.
#[derive(Clone)]
pub struct ChangePassword {
    users: Arc<dyn UserRepository>,
    hasher: Arc<dyn PasswordHasher>,
    sessions: Arc<dyn SessionStore>,
    limiter: Arc<dyn FailureLimiter>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
    limits: LoginLimits,
}

impl ChangePassword {
    /// Wires the use case; wrong current passwords count like failed logins.
    pub fn new(
        users: Arc<dyn UserRepository>,
        hasher: Arc<dyn PasswordHasher>,
        sessions: Arc<dyn SessionStore>,
        limiter: Arc<dyn FailureLimiter>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
        limits: LoginLimits,
    ) -> Self {
        Self {
            users,
            hasher,
            sessions,
            limiter,
            events,
            clock,
            limits,
        }
    }

    /// Changes the caller's password.
    #[tracing::instrument(name = "change_password", skip_all, fields(user_id = %principal.user_id))]
    pub async fn execute(
        &self,
        principal: &Principal,
        command: ChangePasswordCommand,
    ) -> Result<(), ChangePasswordError> {
        let rule = LimitRule {
            key: format!("password:user:{}", principal.user_id),
            limit: self.limits.per_email,
            window: self.limits.window,
        };
        let rules = [rule];
        if let Some(retry_after) = self.limiter.retry_after(&rules).await? {
            return Err(ChangePasswordError::RateLimited { retry_after });
        }
        let hash = self
            .users
            .password_hash(principal.user_id)
            .await?
            .ok_or(ChangePasswordError::UserNotFound)?;
        let verified = self
            .hasher
            .verify(&command.current_password, Some(&hash))
            .await
            .map_err(anyhow::Error::new)?;
        if !verified {
            self.limiter.record_failure(&rules).await?;
            return Err(ChangePasswordError::WrongPassword);
        }
        let new_hash = self
            .hasher
            .hash(&command.new_password)
            .await
            .map_err(anyhow::Error::new)?;
        // Other devices go first: if the store fails in between, the old password still holds
        // and the user can simply try again — never a new password with old sessions alive.
        let revoked = self
            .sessions
            .revoke_all(principal.user_id, Some(principal.session_id))
            .await?;
        self.users
            .set_password_hash(principal.user_id, &new_hash)
            .await?;
        self.limiter.clear(&rules[0]).await?;
        tracing::info!(revoked_sessions = revoked.len(), "password changed");
        if !revoked.is_empty() {
            self.events.publish(vec![EventEnvelope::sessions_revoked(
                principal.user_id,
                revoked,
                Some(principal.session_id),
                self.clock.now(),
            )]);
        }
        Ok(())
    }
}

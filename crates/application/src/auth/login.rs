//! Logging in with email and password.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use sakura_domain::users::Email;
use thiserror::Error;

use super::{AuthenticatedSession, SessionTokens};
use crate::ports::{FailureLimiter, LimitRule, PasswordHasher, UserRepository};

/// What a login form sends, as typed (a malformed email is simply a wrong one).
#[derive(Clone)]
pub struct LoginCommand {
    /// The email as typed.
    pub email: String,
    /// The password as typed.
    pub password: String,
    /// Where the attempt comes from, for per-address limits.
    pub ip: Option<IpAddr>,
    /// The device's `User-Agent`.
    pub user_agent: Option<String>,
}

impl std::fmt::Debug for LoginCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the email nor the password belongs in a log line.
        f.debug_struct("LoginCommand")
            .field("ip", &self.ip)
            .finish_non_exhaustive()
    }
}

impl LoginCommand {
    fn normalized_email(&self) -> String {
        self.email.trim().to_lowercase()
    }
}

/// How many failed logins are tolerated before `RateLimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failures per account in `window`.
    pub per_email: u32,
    /// Failures per client address in `window`.
    pub per_ip: u32,
    /// The counting window.
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_email: 5,
            per_ip: 50,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Why a login failed.
#[derive(Debug, Error)]
pub enum LoginError {
    /// Unknown email or wrong password — deliberately the same case.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many recent failures for this account or address.
    #[error("too many failed logins")]
    RateLimited {
        /// How long until another attempt is allowed.
        retry_after: Duration,
    },
    /// PostgreSQL or Redis is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(LoginError);

/// Checks a password and opens a session.
#[derive(Clone)]
pub struct LoginUser {
    users: Arc<dyn UserRepository>,
    hasher: Arc<dyn PasswordHasher>,
    limiter: Arc<dyn FailureLimiter>,
    tokens: SessionTokens,
    limits: LoginLimits,
}

impl LoginUser {
    /// Wires the use case.
    pub fn new(
        users: Arc<dyn UserRepository>,
        hasher: Arc<dyn PasswordHasher>,
        limiter: Arc<dyn FailureLimiter>,
        tokens: SessionTokens,
        limits: LoginLimits,
    ) -> Self {
        Self {
            users,
            hasher,
            limiter,
            tokens,
            limits,
        }
    }

    fn rules(&self, command: &LoginCommand) -> Vec<LimitRule> {
        // Keys carry a hash, not the email itself: Redis keys end up in monitoring tools.
        let mut hasher = DefaultHasher::new();
        command.normalized_email().hash(&mut hasher);
        let mut rules = vec![LimitRule {
            key: format!("login:email:{:016x}", hasher.finish()),
            limit: self.limits.per_email,
            window: self.limits.window,
        }];
        if let Some(ip) = command.ip {
            rules.push(LimitRule {
                key: format!("login:ip:{ip}"),
                limit: self.limits.per_ip,
                window: self.limits.window,
            });
        }
        rules
    }

    /// Logs in, or says why not.
    #[tracing::instrument(name = "login_user", skip_all)]
    pub async fn execute(&self, command: LoginCommand) -> Result<AuthenticatedSession, LoginError> {
        let rules = self.rules(&command);
        if let Some(retry_after) = self.limiter.retry_after(&rules).await? {
            tracing::info!("login refused: too many failures");
            return Err(LoginError::RateLimited { retry_after });
        }
        // Only an address that parses can belong to an account; anything else (a NUL byte, say)
        // is an unknown account, without asking the store.
        let found = match Email::parse(&command.email) {
            Ok(email) => {
                self.users
                    .find_credentials_by_email(&email.normalized())
                    .await?
            }
            Err(_) => None,
        };
        // Verify even for an unknown email (against a dummy hash) so both failures take as long.
        let verified = self
            .hasher
            .verify(&command.password, found.as_ref().map(|(_, hash)| hash))
            .await
            .map_err(anyhow::Error::new)?;
        match found {
            Some((user, _)) if verified => {
                self.limiter.clear(&rules[0]).await?;
                let session = self
                    .tokens
                    .start(user, command.user_agent.as_deref())
                    .await?;
                tracing::info!(user_id = %session.user.id, session_id = %session.session_id, "logged in");
                Ok(session)
            }
            _ => {
                self.limiter.record_failure(&rules).await?;
                tracing::info!("login failed");
                Err(LoginError::InvalidCredentials)
            }
        }
    }
}

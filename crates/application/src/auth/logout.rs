//! Logging out of the current device.

use std::sync::Arc;

use sakura_domain::{SessionId, UserId};
use thiserror::Error;

use crate::events::EventEnvelope;
use crate::ports::{Clock, EventPublisher, RefreshTokens, SessionStore, TokenStatus};

/// Which session to end.
#[derive(Debug, Clone)]
pub enum LogoutTarget {
    /// The session an access token belongs to.
    Session {
        /// Its user.
        user_id: UserId,
        /// The session.
        session_id: SessionId,
    },
    /// The session a refresh token belongs to (when the access token has already expired).
    RefreshToken(String),
}

/// Why a logout failed.
#[derive(Debug, Error)]
pub enum LogoutError {
    /// The refresh token names no live session.
    #[error("invalid refresh token")]
    InvalidRefreshToken,
    /// Redis is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(LogoutError);

/// Revokes one session.
#[derive(Clone)]
pub struct Logout {
    sessions: Arc<dyn SessionStore>,
    refresh: Arc<dyn RefreshTokens>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl Logout {
    /// Wires the use case.
    pub fn new(
        sessions: Arc<dyn SessionStore>,
        refresh: Arc<dyn RefreshTokens>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            sessions,
            refresh,
            events,
            clock,
        }
    }

    /// Ends the target session. Logging out twice is fine: the second time there is nothing left.
    #[tracing::instrument(name = "logout", skip_all)]
    pub async fn execute(&self, target: LogoutTarget) -> Result<(), LogoutError> {
        // Logging out with an access token is that session acting; with a refresh token alone
        // (its access token expired) no live session acts.
        let (user_id, session_id, origin) = match target {
            LogoutTarget::Session {
                user_id,
                session_id,
            } => (user_id, session_id, Some(session_id)),
            LogoutTarget::RefreshToken(token) => {
                let opened = self
                    .refresh
                    .open(&token)
                    .ok_or(LogoutError::InvalidRefreshToken)?;
                let status = self
                    .sessions
                    .token_status(opened.user_id, opened.session_id, &opened.hash)
                    .await?;
                if status == TokenStatus::Unknown {
                    return Err(LogoutError::InvalidRefreshToken);
                }
                (opened.user_id, opened.session_id, None)
            }
        };
        if self.sessions.revoke(user_id, session_id).await? {
            tracing::info!(%user_id, %session_id, "logged out");
            self.events.publish(vec![EventEnvelope::sessions_revoked(
                user_id,
                vec![session_id],
                origin,
                self.clock.now(),
            )]);
        }
        Ok(())
    }
}

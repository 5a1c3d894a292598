//! Trading a refresh token for a new token pair.

use std::sync::Arc;

use thiserror::Error;

use super::{AuthenticatedSession, SessionTokens};
use crate::StoreError;
use crate::events::EventEnvelope;
use crate::ports::{EventPublisher, RotateOutcome, UserRepository};

/// Why a refresh failed.
#[derive(Debug, Error)]
pub enum RefreshError {
    /// Not a token of ours, expired, or of a revoked session.
    #[error("invalid refresh token")]
    Invalid,
    /// A token that was already rotated out: presumed stolen, so its session is now revoked.
    #[error("refresh token reused")]
    Reused,
    /// Redis (or PostgreSQL) is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(RefreshError, StoreError::NotFound => Self::Invalid);

/// Rotates a session's refresh token and signs a new access token.
#[derive(Clone)]
pub struct RefreshSession {
    users: Arc<dyn UserRepository>,
    tokens: SessionTokens,
    events: Arc<dyn EventPublisher>,
}

impl RefreshSession {
    /// Wires the use case.
    pub fn new(
        users: Arc<dyn UserRepository>,
        tokens: SessionTokens,
        events: Arc<dyn EventPublisher>,
    ) -> Self {
        Self {
            users,
            tokens,
            events,
        }
    }

    /// Rotates `refresh_token`.
    #[tracing::instrument(name = "refresh_session", skip_all)]
    pub async fn execute(&self, refresh_token: &str) -> Result<AuthenticatedSession, RefreshError> {
        let opened = self
            .tokens
            .refresh_tokens()
            .open(refresh_token)
            .ok_or(RefreshError::Invalid)?;
        let now = self.tokens.clock().now();
        let expires_at = now + self.tokens.refresh_ttl();
        let (next_token, next_hash) = self
            .tokens
            .next_refresh_token(opened.user_id, opened.session_id);
        let outcome = self
            .tokens
            .sessions()
            .rotate(
                opened.user_id,
                opened.session_id,
                &opened.hash,
                &next_hash,
                now,
                expires_at,
            )
            .await?;
        match outcome {
            RotateOutcome::Rotated(session) => {
                let Some(user) = self.users.find_by_id(session.user_id).await? else {
                    // The account is gone: its session must not outlive it.
                    self.tokens
                        .sessions()
                        .revoke(session.user_id, session.id)
                        .await?;
                    return Err(RefreshError::Invalid);
                };
                Ok(self
                    .tokens
                    .answer(user, session.id, next_token, session.expires_at))
            }
            RotateOutcome::Reused => {
                tracing::warn!(
                    user_id = %opened.user_id,
                    session_id = %opened.session_id,
                    "rotated-out refresh token presented again: session revoked"
                );
                self.events.publish(vec![EventEnvelope::sessions_revoked(
                    opened.user_id,
                    vec![opened.session_id],
                    None,
                    now,
                )]);
                Err(RefreshError::Reused)
            }
            RotateOutcome::Unknown => Err(RefreshError::Invalid),
        }
    }
}

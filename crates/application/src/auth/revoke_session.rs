//! Ending the session of one device.

use std::sync::Arc;

use sakura_domain::SessionId;
use thiserror::Error;

use super::Principal;
use crate::StoreError;
use crate::events::EventEnvelope;
use crate::ports::{Clock, EventPublisher, SessionStore};

/// Why a session could not be revoked.
#[derive(Debug, Error)]
pub enum RevokeSessionError {
    /// The caller has no such live session.
    #[error("session not found")]
    NotFound,
    /// Redis is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(RevokeSessionError, StoreError::NotFound => Self::NotFound);

/// Revokes one of the caller's sessions (the current one included).
#[derive(Clone)]
pub struct RevokeSession {
    sessions: Arc<dyn SessionStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl RevokeSession {
    /// Wires the use case.
    pub fn new(
        sessions: Arc<dyn SessionStore>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            sessions,
            events,
            clock,
        }
    }

    /// Revokes `session_id` if it is one of the caller's.
    #[tracing::instrument(name = "revoke_session", skip_all, fields(user_id = %principal.user_id, %session_id))]
    pub async fn execute(
        &self,
        principal: &Principal,
        session_id: SessionId,
    ) -> Result<(), RevokeSessionError> {
        // Sessions are keyed by user, so another user's session id simply is not found.
        if !self.sessions.revoke(principal.user_id, session_id).await? {
            return Err(RevokeSessionError::NotFound);
        }
        tracing::info!("session revoked");
        self.events.publish(vec![EventEnvelope::sessions_revoked(
            principal.user_id,
            vec![session_id],
            Some(principal.session_id),
            self.clock.now(),
        )]);
        Ok(())
    }
}

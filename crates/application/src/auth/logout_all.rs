//! Logging out everywhere.

use std::sync::Arc;

use thiserror::Error;

use crate::Actor;
use crate::events::EventEnvelope;
use crate::ports::{Clock, EventPublisher, SessionStore};

/// Why logging out everywhere failed.
#[derive(Debug, Error)]
pub enum LogoutAllError {
    /// Redis is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(LogoutAllError);

/// Revokes every session of a user, this one included.
#[derive(Clone)]
pub struct LogoutAll {
    sessions: Arc<dyn SessionStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl LogoutAll {
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

    /// Revokes them all.
    #[tracing::instrument(name = "logout_all", skip_all, fields(user_id = %actor.user_id))]
    pub async fn execute(&self, actor: Actor) -> Result<(), LogoutAllError> {
        let Actor {
            user_id,
            session_id: origin,
        } = actor;
        let session_ids = self.sessions.revoke_all(user_id, None).await?;
        tracing::info!(count = session_ids.len(), "logged out everywhere");
        if !session_ids.is_empty() {
            self.events.publish(vec![EventEnvelope::sessions_revoked(
                user_id,
                session_ids,
                origin,
                self.clock.now(),
            )]);
        }
        Ok(())
    }
}

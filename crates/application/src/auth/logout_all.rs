//! Logging out everywhere.

use std::sync::Arc;

use sakura_domain::UserId;
use thiserror::Error;

use crate::StoreError;
use crate::events::DomainEvent;
use crate::ports::{EventPublisher, SessionStore};

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

impl From<StoreError> for LogoutAllError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(e) => Self::Unavailable(e),
            other => Self::Unexpected(other.into()),
        }
    }
}

/// Revokes every session of a user, this one included.
#[derive(Clone)]
pub struct LogoutAll {
    sessions: Arc<dyn SessionStore>,
    events: Arc<dyn EventPublisher>,
}

impl LogoutAll {
    /// Wires the use case.
    pub fn new(sessions: Arc<dyn SessionStore>, events: Arc<dyn EventPublisher>) -> Self {
        Self { sessions, events }
    }

    /// Revokes them all.
    #[tracing::instrument(name = "logout_all", skip_all, fields(%user_id))]
    pub async fn execute(&self, user_id: UserId) -> Result<(), LogoutAllError> {
        let session_ids = self.sessions.revoke_all(user_id, None).await?;
        tracing::info!(count = session_ids.len(), "logged out everywhere");
        if !session_ids.is_empty() {
            self.events
                .publish(DomainEvent::SessionsRevoked {
                    user_id,
                    session_ids,
                })
                .await;
        }
        Ok(())
    }
}

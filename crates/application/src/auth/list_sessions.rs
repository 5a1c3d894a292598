//! The devices a user is logged in on.

use std::sync::Arc;

use sakura_domain::auth::Session;
use thiserror::Error;

use super::Principal;
use crate::ports::SessionStore;

/// A session as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    /// The session.
    pub session: Session,
    /// Whether the asking request came through it.
    pub current: bool,
}

/// Why the list could not be read.
#[derive(Debug, Error)]
pub enum ListSessionsError {
    /// Redis is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(ListSessionsError);

/// Lists the caller's live sessions, most recently used first.
#[derive(Clone)]
pub struct ListSessions {
    sessions: Arc<dyn SessionStore>,
}

impl ListSessions {
    /// Wires the use case.
    pub fn new(sessions: Arc<dyn SessionStore>) -> Self {
        Self { sessions }
    }

    /// The caller's sessions.
    pub async fn execute(
        &self,
        principal: &Principal,
    ) -> Result<Vec<SessionView>, ListSessionsError> {
        let mut sessions = self.sessions.list(principal.user_id).await?;
        sessions.sort_by(|a, b| b.last_used_at.cmp(&a.last_used_at).then(b.id.cmp(&a.id)));
        Ok(sessions
            .into_iter()
            .map(|session| SessionView {
                current: session.id == principal.session_id,
                session,
            })
            .collect())
    }
}

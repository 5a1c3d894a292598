//! Domain events: what happened, announced by use cases after their transaction commits.

use sakura_domain::{SessionId, UserId};

/// Something other parts of the system (mostly realtime sockets) may react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainEvent {
    /// These sessions of the user were revoked: their sockets must close with 4001.
    SessionsRevoked {
        /// Whose sessions.
        user_id: UserId,
        /// Which ones.
        session_ids: Vec<SessionId>,
    },
}

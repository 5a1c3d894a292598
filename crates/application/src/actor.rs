//! Who performs a use case: a user, and the session (device) they act from.

use sakura_domain::{SessionId, UserId};

use crate::auth::Principal;

/// The user a use case acts for, and the session that asked, if a session did. The session
/// travels into the events as their origin, so realtime can tell "the sender's other sockets"
/// from the one that acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// Who acts.
    pub user_id: UserId,
    /// From which session; `None` for work no session asked for (tests, jobs).
    pub session_id: Option<SessionId>,
}

impl From<UserId> for Actor {
    fn from(user_id: UserId) -> Self {
        Self {
            user_id,
            session_id: None,
        }
    }
}

impl From<Principal> for Actor {
    fn from(principal: Principal) -> Self {
        Self {
            user_id: principal.user_id,
            session_id: Some(principal.session_id),
        }
    }
}

impl From<&Principal> for Actor {
    fn from(principal: &Principal) -> Self {
        (*principal).into()
    }
}

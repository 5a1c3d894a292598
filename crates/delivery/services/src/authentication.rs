//! The caller behind a token, for any transport: `Authorization: Bearer` on HTTP, the `auth`
//! frame on the WebSocket.

use sakura_application::auth::{Authenticate, AuthenticateError, Principal};
use thiserror::Error;

/// Why a caller is not authenticated. Each has a stable [`code`](AuthFailure::code), the same
/// in an HTTP 401 problem and in a WebSocket `error` frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AuthFailure {
    /// No token was sent.
    #[error("no access token was sent")]
    Missing,
    /// The token is not one of ours (malformed, or a bad signature).
    #[error("the access token is not valid")]
    Invalid,
    /// The token is past its expiry.
    #[error("the access token has expired; refresh it")]
    Expired,
    /// The token's session was logged out or revoked.
    #[error("this session has been logged out")]
    Revoked,
}

impl AuthFailure {
    /// The stable code clients switch on.
    pub fn code(self) -> &'static str {
        match self {
            Self::Missing => "unauthenticated",
            Self::Invalid => "invalid_token",
            Self::Expired => "token_expired",
            Self::Revoked => "session_revoked",
        }
    }
}

impl From<AuthenticateError> for AuthFailure {
    fn from(error: AuthenticateError) -> Self {
        match error {
            AuthenticateError::Expired => Self::Expired,
            AuthenticateError::Invalid => Self::Invalid,
            AuthenticateError::Revoked => Self::Revoked,
        }
    }
}

/// Turns the token a client sent (if any) into the caller.
pub struct Authentication {
    authenticate: Authenticate,
}

impl Authentication {
    /// Checks tokens with `authenticate`.
    pub fn new(authenticate: Authenticate) -> Self {
        Self { authenticate }
    }

    /// The caller proven by `token`: a valid access token of a live session.
    pub async fn principal(&self, token: Option<&str>) -> Result<Principal, AuthFailure> {
        let token = token.ok_or(AuthFailure::Missing)?;
        Ok(self.authenticate.execute(token).await?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sakura_application::ports::AccessTokens;
    use sakura_application::testing::{AuthWorld, FakeAccessTokens};
    use sakura_domain::{SessionId, UserId};

    use super::*;

    fn authentication(world: &AuthWorld) -> Authentication {
        Authentication::new(world.authenticate())
    }

    #[tokio::test]
    async fn no_token_is_unauthenticated() {
        let world = AuthWorld::default();
        let failure = authentication(&world).principal(None).await;
        assert_eq!(failure.map_err(AuthFailure::code), Err("unauthenticated"));
    }

    #[tokio::test]
    async fn a_token_that_is_not_ours_is_invalid() {
        let world = AuthWorld::default();
        let failure = authentication(&world).principal(Some("garbage")).await;
        assert_eq!(failure.map_err(AuthFailure::code), Err("invalid_token"));
    }

    #[tokio::test]
    async fn an_expired_token_is_expired() {
        let world = AuthWorld {
            access: Arc::new(FakeAccessTokens {
                ttl: time::Duration::minutes(-1),
            }),
            ..AuthWorld::default()
        };
        let token = world.access.issue(UserId::new(), SessionId::new()).token;
        let failure = authentication(&world).principal(Some(&token)).await;
        assert_eq!(failure.map_err(AuthFailure::code), Err("token_expired"));
    }

    #[tokio::test]
    async fn a_token_of_a_session_that_is_gone_is_revoked() {
        let world = AuthWorld::default();
        let token = world.access.issue(UserId::new(), SessionId::new()).token;
        let failure = authentication(&world).principal(Some(&token)).await;
        assert_eq!(failure.map_err(AuthFailure::code), Err("session_revoked"));
    }
}

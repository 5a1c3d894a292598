//! Turning an access token into the caller's identity.

use std::sync::Arc;

use sakura_domain::{SessionId, UserId};
use thiserror::Error;
use time::OffsetDateTime;

use crate::StoreError;
use crate::ports::{AccessTokenError, AccessTokens, SessionStore};

/// Who is calling, proven by a valid access token of a live session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    /// The user.
    pub user_id: UserId,
    /// Their session (device).
    pub session_id: SessionId,
    /// When the token stops being valid.
    pub expires_at: OffsetDateTime,
}

/// Why a token does not authenticate.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthenticateError {
    /// Past its expiry.
    #[error("access token expired")]
    Expired,
    /// Not a valid token.
    #[error("access token invalid")]
    Invalid,
    /// Its session was logged out or revoked.
    #[error("session revoked")]
    Revoked,
}

/// Checks access tokens, and that their session is still live.
///
/// Revocation is checked in Redis on every request (one `EXISTS`, well under a millisecond)
/// rather than waiting out the token's lifetime: logging out, "log out everywhere" and a password
/// change then take effect at once, which users expect after losing a device. When Redis is down
/// the check is skipped and logged — the token's short lifetime (15 min) bounds that risk, and
/// Sakura keeps serving signed-in users through a Redis outage.
#[derive(Clone)]
pub struct Authenticate {
    tokens: Arc<dyn AccessTokens>,
    sessions: Arc<dyn SessionStore>,
}

impl Authenticate {
    /// Wires the use case.
    pub fn new(tokens: Arc<dyn AccessTokens>, sessions: Arc<dyn SessionStore>) -> Self {
        Self { tokens, sessions }
    }

    /// The principal behind `token`.
    pub async fn execute(&self, token: &str) -> Result<Principal, AuthenticateError> {
        let claims = self.tokens.verify(token).map_err(|e| match e {
            AccessTokenError::Expired => AuthenticateError::Expired,
            AccessTokenError::Invalid => AuthenticateError::Invalid,
        })?;
        match self
            .sessions
            .exists(claims.user_id, claims.session_id)
            .await
        {
            Ok(true) => {}
            Ok(false) => return Err(AuthenticateError::Revoked),
            Err(StoreError::Unavailable(error)) => {
                tracing::warn!(error = %error, "session store unavailable: revocation check skipped");
            }
            Err(error) => {
                tracing::error!(error = ?error, "session check failed: revocation check skipped");
            }
        }
        Ok(Principal {
            user_id: claims.user_id,
            session_id: claims.session_id,
            expires_at: claims.expires_at,
        })
    }
}

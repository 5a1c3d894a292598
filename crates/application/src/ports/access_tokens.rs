//! Short-lived access tokens (JWT in production).

use sakura_domain::{SessionId, UserId};
use thiserror::Error;
use time::OffsetDateTime;

/// What an access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    /// Whose token (`sub`).
    pub user_id: UserId,
    /// Which session issued it (`sid`).
    pub session_id: SessionId,
    /// When it stops being accepted (`exp`).
    pub expires_at: OffsetDateTime,
}

/// A freshly signed access token.
#[derive(Debug, Clone)]
pub struct IssuedAccessToken {
    /// The encoded token.
    pub token: String,
    /// When it expires.
    pub expires_at: OffsetDateTime,
}

/// Why a token is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccessTokenError {
    /// Past its `exp`.
    #[error("access token expired")]
    Expired,
    /// Malformed, badly signed, or missing claims.
    #[error("access token invalid")]
    Invalid,
}

/// Signs and checks access tokens. Pure computation: no I/O.
pub trait AccessTokens: Send + Sync {
    /// Signs a token for this session.
    fn issue(&self, user_id: UserId, session_id: SessionId) -> IssuedAccessToken;

    /// Checks signature and expiry (leeway at most 1 s) and reads the claims.
    fn verify(&self, token: &str) -> Result<AccessClaims, AccessTokenError>;

    /// How long new tokens live.
    fn ttl(&self) -> time::Duration;
}

//! Refresh sessions (Redis in production).

use async_trait::async_trait;
use sakura_domain::auth::Session;
use sakura_domain::{SessionId, UserId};
use time::OffsetDateTime;

use super::RefreshTokenHash;
use crate::StoreError;

/// What a rotation attempt found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotateOutcome {
    /// The presented token was current; the session now holds the new one.
    Rotated(Session),
    /// The presented token was already rotated out: the store revoked the whole session.
    Reused,
    /// No such live session, or a token it never issued.
    Unknown,
}

/// How a presented token relates to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStatus {
    /// The session's current token.
    Current,
    /// A token the session issued once and has since rotated out.
    RotatedOut,
    /// Neither (or no such session).
    Unknown,
}

/// Live login sessions, keyed by user id and session id, each holding only a hash of its current
/// refresh token and expiring with it. All methods return `Unavailable` when the store cannot be
/// reached.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session holding `token_hash`, expiring at `session.expires_at`.
    async fn create(
        &self,
        session: &Session,
        token_hash: &RefreshTokenHash,
    ) -> Result<(), StoreError>;

    /// Atomically swaps `presented` for `next` if `presented` is current, moving the expiry to
    /// `expires_at` and `last_used_at` to `now`. A rotated-out `presented` revokes the session.
    async fn rotate(
        &self,
        user_id: UserId,
        session_id: SessionId,
        presented: &RefreshTokenHash,
        next: &RefreshTokenHash,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<RotateOutcome, StoreError>;

    /// How `presented` relates to the session, without changing anything.
    async fn token_status(
        &self,
        user_id: UserId,
        session_id: SessionId,
        presented: &RefreshTokenHash,
    ) -> Result<TokenStatus, StoreError>;

    /// Whether the session is live.
    async fn exists(&self, user_id: UserId, session_id: SessionId) -> Result<bool, StoreError>;

    /// The user's live sessions, oldest first.
    async fn list(&self, user_id: UserId) -> Result<Vec<Session>, StoreError>;

    /// Revokes one session; `false` when there was no such live session.
    async fn revoke(&self, user_id: UserId, session_id: SessionId) -> Result<bool, StoreError>;

    /// Revokes every session of the user but `keep`; returns those revoked.
    async fn revoke_all(
        &self,
        user_id: UserId,
        keep: Option<SessionId>,
    ) -> Result<Vec<SessionId>, StoreError>;
}

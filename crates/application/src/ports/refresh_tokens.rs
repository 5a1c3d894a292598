//! Refresh-token secrets: made and read here, stored only as hashes.

use sakura_domain::{SessionId, UserId};

/// A one-way hash of a refresh token: what the session store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RefreshTokenHash(pub String);

/// A refresh token taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedRefreshToken {
    /// The user it names.
    pub user_id: UserId,
    /// The session it names.
    pub session_id: SessionId,
    /// The hash to compare with the stored one.
    pub hash: RefreshTokenHash,
}

/// Makes opaque refresh tokens that name their session, and hashes them.
pub trait RefreshTokens: Send + Sync {
    /// A new random token (at least 256 bits of secret) for this session, with its hash.
    fn generate(&self, user_id: UserId, session_id: SessionId) -> (String, RefreshTokenHash);

    /// Reads a presented token; `None` when it is not one of ours.
    fn open(&self, token: &str) -> Option<OpenedRefreshToken>;
}

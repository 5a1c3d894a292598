//! Password hashing (bcrypt in production).

use std::fmt;

use async_trait::async_trait;
use sakura_domain::auth::Password;
use thiserror::Error;

/// A password hash in the hasher's own encoding (`$2b$12$...` for bcrypt).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// The hasher failed (a corrupt stored hash, a crashed worker).
#[derive(Debug, Error)]
#[error("password hashing failed")]
pub struct HashError(#[source] pub anyhow::Error);

/// Hashes and checks passwords. Implementations must keep the slow work off async workers.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a new password.
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError>;

    /// Whether `candidate` matches `hash`. With no hash (unknown account) it must still spend the
    /// same time, against a dummy hash, and answer `false`: so timing does not reveal accounts.
    async fn verify(&self, candidate: &str, hash: Option<&PasswordHash>)
    -> Result<bool, HashError>;
}

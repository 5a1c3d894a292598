//! The error every storage port returns.

use thiserror::Error;

/// What went wrong in a store, in the terms a use case branches on.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or state rule of the store refused the write.
    #[error("conflict")]
    Conflict,
    /// The store cannot be reached (down, timed out, pool exhausted): worth a 503 and a retry.
    #[error("store unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: a bug or corrupt data.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl StoreError {
    /// Wraps a connection-level failure.
    pub fn unavailable(error: impl Into<anyhow::Error>) -> Self {
        Self::Unavailable(error.into())
    }
}

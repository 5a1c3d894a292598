//! Failure cases shared by several use cases.

use thiserror::Error;

use crate::StoreError;

/// Why a read of people, friends or notifications failed.
#[derive(Debug, Error)]
pub enum ReadError {
    /// There is no such user, or they blocked the caller (the caller may not know they exist).
    #[error("not found")]
    NotFound,
    /// The owner's privacy settings hide this from the caller.
    #[error("hidden by the owner's privacy settings")]
    Hidden,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(ReadError, StoreError::NotFound => Self::NotFound);

//! The error every storage port returns, and the one way use-case errors take it in.

use thiserror::Error;

/// What went wrong in a store, in the terms a use case branches on.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write. It names the unique key that was hit (the
    /// constraint's name); port methods list the keys a caller may see, as constants.
    #[error("conflict on {0}")]
    Conflict(String),
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

    /// A conflict on the unique key `key`.
    pub fn conflict(key: impl Into<String>) -> Self {
        Self::Conflict(key.into())
    }

    /// Whether this is a conflict on `key`.
    pub fn is_conflict_on(&self, key: &str) -> bool {
        matches!(self, Self::Conflict(hit) if hit == key)
    }
}

/// `impl From<StoreError>` for a use-case error enum with `Unavailable(anyhow::Error)` and
/// `Unexpected(anyhow::Error)` variants: `Unavailable` stays `Unavailable`, everything else is
/// `Unexpected`, except the cases listed first (`StoreError::NotFound => Self::UnknownUser`).
///
/// One mechanism instead of a hand-written `match` per use case, so a new store error case is
/// handled in one place.
#[macro_export]
macro_rules! from_store_error {
    ($error:ty $(, $case:pat $(if $guard:expr)? => $variant:expr)* $(,)?) => {
        impl From<$crate::StoreError> for $error {
            fn from(error: $crate::StoreError) -> Self {
                #[allow(unreachable_patterns)]
                match error {
                    $($case $(if $guard)? => $variant,)*
                    $crate::StoreError::Unavailable(source) => Self::Unavailable(source),
                    other => Self::Unexpected(other.into()),
                }
            }
        }
    };
}

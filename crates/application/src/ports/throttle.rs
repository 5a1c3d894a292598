//! Letting something through at most once per window, across instances.

use std::time::Duration;

use async_trait::async_trait;

use crate::StoreError;

/// A shared "at most once per window" gate (typing indicators).
#[async_trait]
pub trait Throttle: Send + Sync {
    /// `true` if nothing passed for `key` within the last `window` (and this call now holds
    /// it); `false` if this is a repeat within the window.
    /// Errors: `Unavailable`.
    async fn pass(&self, key: &str, window: Duration) -> Result<bool, StoreError>;
}

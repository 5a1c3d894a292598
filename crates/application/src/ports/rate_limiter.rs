//! Counting failures to slow down guessing (Redis in production).

use std::time::Duration;

use async_trait::async_trait;

use crate::StoreError;

/// A bucket of failures: at most `limit` within `window` per `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitRule {
    /// What is being counted, e.g. `login:email:<hash>`. Never a raw email or secret.
    pub key: String,
    /// Failures allowed in a window.
    pub limit: u32,
    /// Length of the window, counted from the first failure.
    pub window: Duration,
}

/// Counts failures per key in fixed windows.
#[async_trait]
pub trait FailureLimiter: Send + Sync {
    /// The longest wait any of `rules` imposes right now, or `None` when all allow another try.
    async fn retry_after(&self, rules: &[LimitRule]) -> Result<Option<Duration>, StoreError>;

    /// Counts one failure in each of `rules`.
    async fn record_failure(&self, rules: &[LimitRule]) -> Result<(), StoreError>;

    /// Forgets the failures counted under `rule` (after a success).
    async fn clear(&self, rule: &LimitRule) -> Result<(), StoreError>;
}

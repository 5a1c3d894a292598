//! Readiness checks of the dependencies.

use async_trait::async_trait;

use crate::StoreError;

/// Something Sakura depends on and can ping.
#[async_trait]
pub trait DependencyProbe: Send + Sync {
    /// Its name as operators know it (`postgres`, `redis`).
    fn name(&self) -> &'static str;

    /// Answers `Ok` when the dependency answers.
    async fn check(&self) -> Result<(), StoreError>;
}

//! One instance at a time: a lock for periodic jobs every instance runs (PostgreSQL advisory locks
//! in production).

use async_trait::async_trait;

use crate::StoreError;

/// Held while a job runs; dropping it releases the lock, on every path.
pub struct JobLease {
    _holder: Box<dyn Send + Sync>,
}

impl JobLease {
    /// A lease that releases the lock when `holder` is dropped.
    pub fn new(holder: impl Send + Sync + 'static) -> Self {
        Self {
            _holder: Box::new(holder),
        }
    }
}

impl std::fmt::Debug for JobLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JobLease")
    }
}

/// Locks named jobs across every instance.
#[async_trait]
pub trait JobLock: Send + Sync {
    /// The lease of `job`, or `None` when another instance holds it now (never waits).
    async fn try_lock(&self, job: &'static str) -> Result<Option<JobLease>, StoreError>;
}

//! Removes photo files no photo refers to: left by a delete whose file removal failed, or by a
//! crash between writing an upload's files and its row.

use std::sync::Arc;
use std::time::Duration;

use crate::StoreError;
use crate::ports::{BlobStore, Clock, JobLock, PhotoRepository};

/// The lock's name: one sweep at a time, whichever instance.
pub const SWEEP_JOB: &str = "photo_file_sweep";

/// How many keys are listed and checked at once.
const BATCH: usize = 500;

/// What one sweep did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepReport {
    /// Whether this instance ran it (`false`: another instance held the lock).
    pub ran: bool,
    /// Files listed.
    pub looked_at: usize,
    /// Files old enough to judge.
    pub old_enough: usize,
    /// Files removed.
    pub removed: usize,
}

/// Sweeps the blob store of files no photo row refers to.
///
/// A file younger than `min_age` is never removed: an upload writes its files first and its row
/// after, so a young file without a row may be an upload in flight. Keys are random and never
/// reused, so a file that is old and unreferenced can only stay that way: no row will ever name
/// it later, and deleting it races with nothing.
pub struct SweepOrphanFiles {
    blobs: Arc<dyn BlobStore>,
    photos: Arc<dyn PhotoRepository>,
    lock: Arc<dyn JobLock>,
    clock: Arc<dyn Clock>,
    min_age: Duration,
}

impl SweepOrphanFiles {
    /// A sweep over `blobs` that keeps what `photos` refers to and anything younger than
    /// `min_age`.
    pub fn new(
        blobs: Arc<dyn BlobStore>,
        photos: Arc<dyn PhotoRepository>,
        lock: Arc<dyn JobLock>,
        clock: Arc<dyn Clock>,
        min_age: Duration,
    ) -> Self {
        Self {
            blobs,
            photos,
            lock,
            clock,
            min_age,
        }
    }

    /// One sweep, unless another instance is sweeping.
    #[tracing::instrument(name = "photo_file_sweep", skip_all)]
    pub async fn execute(&self) -> Result<SweepReport, StoreError> {
        let Some(_lease) = self.lock.try_lock(SWEEP_JOB).await? else {
            tracing::debug!("another instance is sweeping");
            return Ok(SweepReport::default());
        };
        let cutoff = self.clock.now() - self.min_age;
        let mut report = SweepReport {
            ran: true,
            ..SweepReport::default()
        };
        let mut after = None;
        loop {
            let page = self.blobs.list(after.as_ref(), BATCH).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.key.clone());
            report.looked_at += page.len();
            let old: Vec<_> = page
                .into_iter()
                .filter(|blob| blob.written_at < cutoff)
                .map(|blob| blob.key)
                .collect();
            report.old_enough += old.len();
            if old.is_empty() {
                continue;
            }
            let referenced = self.photos.referenced_keys(&old).await?;
            for key in old.iter().filter(|key| !referenced.contains(*key)) {
                self.blobs.delete(key).await?;
                report.removed += 1;
                tracing::info!(%key, "orphan photo file removed");
            }
        }
        tracing::info!(
            looked_at = report.looked_at,
            old_enough = report.old_enough,
            removed = report.removed,
            "photo file sweep done"
        );
        Ok(report)
    }
}

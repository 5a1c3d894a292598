//! The transactional outbox: events written with their change, waiting to be delivered.

use async_trait::async_trait;
use sakura_domain::EventId;
use time::{Duration, OffsetDateTime};

use crate::StoreError;
use crate::events::EventEnvelope;

/// Events committed with their change and not yet known to be delivered.
///
/// Stores append envelopes inside the transaction of the change (each write port says which);
/// this port only reads and clears them.
#[async_trait]
pub trait Outbox: Send + Sync {
    /// Claims up to `limit` undelivered events that happened before `before` and that nobody
    /// holds a live claim on, oldest first, for `lease` from `now`; another caller (another
    /// instance's relay) skips them until the lease ends, without waiting on a lock.
    async fn claim(
        &self,
        before: OffsetDateTime,
        now: OffsetDateTime,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<EventEnvelope>, StoreError>;

    /// Forgets these events: the bus has them. Unknown ids (events that never had a row, or were
    /// already cleared) are ignored.
    async fn mark_delivered(&self, ids: &[EventId]) -> Result<(), StoreError>;
}

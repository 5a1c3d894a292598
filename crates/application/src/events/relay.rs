//! Getting outbox events onto the bus: right after commit, and again for what a crash left.
//!
//! The committing instance hands its events to the publisher at once ([`deliver`] runs in the
//! publisher's background task). [`RelayOutbox`] is the safety net: any instance may run it, and
//! it only takes events older than a grace period, so it does not race the committing instance
//! for fresh ones. Claims are leases skipped by other relays (`FOR UPDATE SKIP LOCKED` in
//! PostgreSQL), so several instances share the work without waiting on each other. Delivery is at
//! least once: an instance that delivers and dies before clearing the row sends it again later.

use std::sync::Arc;

use time::Duration;

use crate::StoreError;
use crate::events::EventEnvelope;
use crate::ports::{Clock, EventBus, Outbox};

/// Sends `events` on the bus, then clears them from the outbox. When the bus refuses, nothing is
/// cleared and the relay retries later.
pub async fn deliver(
    bus: &dyn EventBus,
    outbox: &dyn Outbox,
    events: &[EventEnvelope],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    bus.deliver(events).await?;
    let ids: Vec<_> = events.iter().map(|e| e.id).collect();
    outbox.mark_delivered(&ids).await
}

/// How the relay paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelaySettings {
    /// Events younger than this are left to the instance that committed them.
    pub grace: Duration,
    /// How long a claim keeps other relays off a batch (longer than a delivery takes).
    pub lease: Duration,
    /// Events per claim.
    pub batch: usize,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            grace: Duration::seconds(10),
            lease: Duration::seconds(30),
            batch: 500,
        }
    }
}

/// Publishes the events a crash (or a full queue, or a bus outage) left in the outbox.
#[derive(Clone)]
pub struct RelayOutbox {
    outbox: Arc<dyn Outbox>,
    bus: Arc<dyn EventBus>,
    clock: Arc<dyn Clock>,
    settings: RelaySettings,
}

impl RelayOutbox {
    /// Wires the relay.
    pub fn new(
        outbox: Arc<dyn Outbox>,
        bus: Arc<dyn EventBus>,
        clock: Arc<dyn Clock>,
        settings: RelaySettings,
    ) -> Self {
        Self {
            outbox,
            bus,
            clock,
            settings,
        }
    }

    /// Relays one batch of stale events; how many it delivered. A full batch means there may be
    /// more: call again.
    #[tracing::instrument(name = "relay_outbox", skip_all)]
    pub async fn run_once(&self) -> Result<usize, StoreError> {
        let now = self.clock.now();
        // A grace reaching before the calendar's start (a configured `EVENT_RELAY_GRACE` of
        // centuries) leaves nothing old enough; it must not overflow.
        let Some(before) = now.checked_sub(self.settings.grace) else {
            return Ok(0);
        };
        let events = self
            .outbox
            .claim(before, now, self.settings.lease, self.settings.batch)
            .await?;
        if events.is_empty() {
            return Ok(0);
        }
        deliver(self.bus.as_ref(), self.outbox.as_ref(), &events).await?;
        tracing::info!(
            count = events.len(),
            "relayed events a crash or outage left"
        );
        Ok(events.len())
    }

    /// Events per claim (a `run_once` that returns this many should be called again at once).
    pub fn batch(&self) -> usize {
        self.settings.batch
    }
}

//! In-memory fakes of the event ports: an outbox with leases and a bus that records (or fails).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use sakura_domain::EventId;
use time::{Duration, OffsetDateTime};

use crate::StoreError;
use crate::events::EventEnvelope;
use crate::ports::{EventBus, Outbox};

/// An outbox in memory: rows with their lease.
#[derive(Default)]
pub struct InMemoryOutbox {
    rows: Mutex<Vec<(EventEnvelope, Option<OffsetDateTime>)>>,
}

impl InMemoryOutbox {
    /// Adds events as a store would inside a change's transaction.
    pub fn append(&self, events: &[EventEnvelope]) {
        let mut rows = self.rows.lock().unwrap();
        rows.extend(events.iter().cloned().map(|e| (e, None)));
    }

    /// The events still undelivered.
    pub fn pending(&self) -> Vec<EventEnvelope> {
        self.rows
            .lock()
            .unwrap()
            .iter()
            .map(|(e, _)| e.clone())
            .collect()
    }
}

#[async_trait]
impl Outbox for InMemoryOutbox {
    async fn claim(
        &self,
        before: OffsetDateTime,
        now: OffsetDateTime,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        let mut rows = self.rows.lock().unwrap();
        rows.sort_by_key(|(e, _)| e.id);
        let mut claimed = Vec::new();
        for (event, claimed_until) in rows.iter_mut() {
            if claimed.len() == limit {
                break;
            }
            let free = claimed_until.is_none_or(|until| until < now);
            if event.at < before && free {
                *claimed_until = Some(now + lease);
                claimed.push(event.clone());
            }
        }
        Ok(claimed)
    }

    async fn mark_delivered(&self, ids: &[EventId]) -> Result<(), StoreError> {
        self.rows
            .lock()
            .unwrap()
            .retain(|(e, _)| !ids.contains(&e.id));
        Ok(())
    }
}

/// A bus that records what it carried, or refuses while `down`.
#[derive(Default)]
pub struct RecordingBus {
    pub delivered: Mutex<Vec<EventEnvelope>>,
    pub down: AtomicBool,
}

#[async_trait]
impl EventBus for RecordingBus {
    async fn deliver(&self, events: &[EventEnvelope]) -> Result<(), StoreError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(StoreError::unavailable(anyhow::anyhow!("bus down")));
        }
        self.delivered
            .lock()
            .unwrap()
            .extend(events.iter().cloned());
        Ok(())
    }
}

//! Delivering domain events: a non-blocking publisher with a background task, the outbox relay,
//! and the bus they both deliver to.
//!
//! Use cases hand committed events to [`BackgroundPublisher::publish`], which only queues them
//! (bounded): the request never waits on the network. The background task sends each batch on the
//! bus and clears it from the outbox. A full queue, a bus outage or a crash leaves the rows in
//! the outbox, where [`run_relay`] (on every instance, sharing the work through leases) finds them
//! after a grace period. Until the realtime issue brings the Redis bus, the bus is
//! [`LoggingEventBus`], which logs each event and accepts it.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sakura_application::StoreError;
use sakura_application::events::EventEnvelope;
use sakura_application::events::relay::{self, RelayOutbox};
use sakura_application::photos::SweepOrphanFiles;
use sakura_application::ports::{EventBus, EventPublisher, Outbox};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How many batches may wait for the background task before new ones are left to the relay.
const QUEUE_BATCHES: usize = 4_096;

/// Batches the background task sends on the bus together, at most.
const COALESCE_BATCHES: usize = 64;

/// Accepts every event and logs it at debug level. Replaced by the Redis bus with realtime.
pub(crate) struct LoggingEventBus;

#[async_trait]
impl EventBus for LoggingEventBus {
    async fn deliver(&self, events: &[EventEnvelope]) -> Result<(), StoreError> {
        for event in events {
            tracing::debug!(
                event_id = %event.id,
                kind = event.kind(),
                recipients = event.recipients.len(),
                payload = ?event.payload,
                "domain event"
            );
        }
        Ok(())
    }
}

/// Queues events for the background task; never blocks, never fails.
pub(crate) struct BackgroundPublisher {
    queue: mpsc::Sender<Vec<EventEnvelope>>,
}

impl BackgroundPublisher {
    /// Starts the task that delivers queued events on `bus` and clears them from `outbox`.
    pub(crate) fn start(bus: Arc<dyn EventBus>, outbox: Arc<dyn Outbox>) -> (Self, JoinHandle<()>) {
        let (queue, mut batches) = mpsc::channel::<Vec<EventEnvelope>>(QUEUE_BATCHES);
        let task = tokio::spawn(async move {
            let mut pending = Vec::new();
            while batches.recv_many(&mut pending, COALESCE_BATCHES).await > 0 {
                let events: Vec<EventEnvelope> = pending.drain(..).flatten().collect();
                if let Err(error) = relay::deliver(bus.as_ref(), outbox.as_ref(), &events).await {
                    // The outbox keeps them; the relay tries again after its grace period.
                    tracing::warn!(
                        count = events.len(),
                        error = %error,
                        "events not delivered now: left to the outbox relay"
                    );
                }
            }
        });
        (Self { queue }, task)
    }
}

impl EventPublisher for BackgroundPublisher {
    fn publish(&self, events: Vec<EventEnvelope>) {
        if let Err(error) = self.queue.try_send(events) {
            let count = match &error {
                mpsc::error::TrySendError::Full(events)
                | mpsc::error::TrySendError::Closed(events) => events.len(),
            };
            tracing::warn!(
                count,
                "event queue full or closed: left to the outbox relay"
            );
        }
    }
}

/// Runs the outbox relay every `interval`, draining full batches at once.
pub(crate) fn run_relay(relay: RelayOutbox, interval: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            loop {
                match relay.run_once().await {
                    Ok(count) if count >= relay.batch() => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(error = %error, "outbox relay failed; retrying later");
                        break;
                    }
                }
            }
        }
    })
}

/// Sweeps the blob store of orphan photo files every `interval` (the first sweep one interval
/// after start). Every instance runs it; the job lock lets one sweep at a time.
pub(crate) fn run_photo_sweep(sweep: SweepOrphanFiles, interval: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = sweep.execute().await {
                tracing::warn!(error = %error, "photo file sweep failed; retrying later");
            }
        }
    })
}

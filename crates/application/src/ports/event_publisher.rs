//! Handing committed events over for delivery.

use crate::events::EventEnvelope;

/// Takes events whose change is committed and delivers them in the background.
///
/// `publish` never blocks the caller on the network and never fails: a use case has already
/// committed, so the state is safe. Events that were written to the outbox with their change are
/// marked delivered once the bus has them; any the publisher cannot deliver (queue full, bus down,
/// crash) stay in the outbox for the relay. Events of changes outside PostgreSQL (sessions live in
/// Redis) have no outbox row: for those delivery is best effort.
pub trait EventPublisher: Send + Sync {
    /// Queues `events` for delivery, in order.
    fn publish(&self, events: Vec<EventEnvelope>);
}

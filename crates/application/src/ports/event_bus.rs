//! The network that carries events to every server instance (Redis pub/sub in production).

use async_trait::async_trait;

use crate::StoreError;
use crate::events::EventEnvelope;

/// Delivers events to whoever routes them to sockets.
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Sends `events`, in order. `Ok` means the bus accepted every one of them.
    /// Errors: `Unavailable` when the bus cannot be reached (nothing is then known to be sent:
    /// the caller keeps the events for a later attempt).
    async fn deliver(&self, events: &[EventEnvelope]) -> Result<(), StoreError>;
}

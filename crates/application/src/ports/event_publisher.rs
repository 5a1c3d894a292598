//! Announcing domain events (Redis pub/sub in production).

use async_trait::async_trait;

use crate::events::DomainEvent;

/// Sends events to whoever delivers them (every server instance's sockets).
///
/// Call only after the change the event describes is committed. Publishing never fails the use
/// case: an adapter that cannot deliver logs it, since the state is already safe in the store.
#[async_trait]
pub trait EventPublisher: Send + Sync {
    /// Announces one event.
    async fn publish(&self, event: DomainEvent);
}

//! Where domain events go until the realtime issue delivers them over Redis pub/sub.

use async_trait::async_trait;
use sakura_application::events::DomainEvent;
use sakura_application::ports::EventPublisher;

/// Logs each event at debug level. Replaced by the Redis bus with the realtime delivery.
pub(crate) struct LoggingEventPublisher;

#[async_trait]
impl EventPublisher for LoggingEventPublisher {
    async fn publish(&self, event: DomainEvent) {
        tracing::debug!(?event, "domain event");
    }
}

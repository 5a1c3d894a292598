//! Marking notifications read.

use std::sync::Arc;

use sakura_domain::NotificationId;
use thiserror::Error;

use crate::StoreError;
use crate::actor::Actor;
use crate::events::DomainEvent;
use crate::ports::{Clock, EventPublisher, NotificationStore};

/// Which notifications to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkRead {
    /// These (all must be the caller's).
    Ids(Vec<NotificationId>),
    /// All of the caller's.
    All,
}

/// Why marking notifications read failed.
#[derive(Debug, Error)]
pub enum MarkReadError {
    /// One of the ids is not one of the caller's notifications (nothing was marked).
    #[error("no such notification")]
    UnknownNotification,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(MarkReadError, StoreError::NotFound => Self::UnknownNotification);

/// Marks notifications read: all or nothing. The caller's other sockets hear of it
/// (`notifications.read`), so badges stay in step across devices.
///
/// The event is published after the write without an outbox row: a read marker that a crash
/// keeps from being announced only leaves another device's badge stale until it reloads.
#[derive(Clone)]
pub struct MarkNotificationsRead {
    notifications: Arc<dyn NotificationStore>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl MarkNotificationsRead {
    /// Wires the use case.
    pub fn new(
        notifications: Arc<dyn NotificationStore>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            notifications,
            events,
            clock,
        }
    }

    /// Marks them; `UnknownNotification` (and nothing marked) if any id is not the caller's.
    pub async fn execute(
        &self,
        actor: impl Into<Actor>,
        which: MarkRead,
    ) -> Result<(), MarkReadError> {
        let actor = actor.into();
        let me = actor.user_id;
        let at = self.clock.now();
        let ids = match which {
            MarkRead::All => {
                self.notifications.mark_all_read(me, at).await?;
                None
            }
            MarkRead::Ids(ids) => {
                self.notifications.mark_read(me, &ids, at).await?;
                Some(ids)
            }
        };
        let event = DomainEvent::NotificationsRead { user_id: me, ids };
        self.events
            .publish(vec![event.to(vec![me], actor.session_id, at)]);
        Ok(())
    }
}

//! Marking notifications read.

use std::sync::Arc;

use sakura_domain::{NotificationId, UserId};
use thiserror::Error;

use crate::StoreError;
use crate::ports::{Clock, NotificationStore};

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

/// Marks notifications read: all or nothing.
#[derive(Clone)]
pub struct MarkNotificationsRead {
    notifications: Arc<dyn NotificationStore>,
    clock: Arc<dyn Clock>,
}

impl MarkNotificationsRead {
    /// Wires the use case.
    pub fn new(notifications: Arc<dyn NotificationStore>, clock: Arc<dyn Clock>) -> Self {
        Self {
            notifications,
            clock,
        }
    }

    /// Marks them; `UnknownNotification` (and nothing marked) if any id is not the caller's.
    pub async fn execute(&self, me: UserId, which: MarkRead) -> Result<(), MarkReadError> {
        let at = self.clock.now();
        match which {
            MarkRead::All => self.notifications.mark_all_read(me, at).await?,
            MarkRead::Ids(ids) => self.notifications.mark_read(me, &ids, at).await?,
        }
        Ok(())
    }
}

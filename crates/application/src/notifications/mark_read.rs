//! Marking notifications read.

use std::sync::Arc;

use sakura_domain::UserId;
use uuid::Uuid;

use crate::errors::ReadError;
use crate::ports::NotificationStore;

/// Which notifications to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkRead {
    /// These (all must be the caller's).
    Ids(Vec<Uuid>),
    /// All of the caller's.
    All,
}

/// Marks notifications read: all or nothing.
#[derive(Clone)]
pub struct MarkNotificationsRead {
    notifications: Arc<dyn NotificationStore>,
}

impl MarkNotificationsRead {
    /// Wires the use case.
    pub fn new(notifications: Arc<dyn NotificationStore>) -> Self {
        Self { notifications }
    }

    /// Marks them; `NotFound` (and nothing marked) if any id is not the caller's.
    pub async fn execute(&self, me: UserId, which: MarkRead) -> Result<(), ReadError> {
        match which {
            MarkRead::All => self.notifications.mark_all_read(me).await?,
            MarkRead::Ids(ids) => self.notifications.mark_read(me, &ids).await?,
        }
        Ok(())
    }
}

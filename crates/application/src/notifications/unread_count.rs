//! The unread badges.

use std::sync::Arc;

use sakura_domain::UserId;

use crate::ReadError;
use crate::ports::NotificationStore;

/// Unread counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnreadCounts {
    /// Unread notifications.
    pub notifications: u64,
    /// Unread chat messages (the messenger adds them; none exist before it).
    pub messages: u64,
}

/// Counts what the caller has not read.
#[derive(Clone)]
pub struct UnreadCount {
    notifications: Arc<dyn NotificationStore>,
}

impl UnreadCount {
    /// Wires the use case.
    pub fn new(notifications: Arc<dyn NotificationStore>) -> Self {
        Self { notifications }
    }

    /// `me`'s unread counts.
    pub async fn execute(&self, me: UserId) -> Result<UnreadCounts, ReadError> {
        Ok(UnreadCounts {
            notifications: self.notifications.unread_count(me).await?,
            messages: 0,
        })
    }
}

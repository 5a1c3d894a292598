//! The unread badges.

use std::sync::Arc;

use sakura_domain::UserId;

use crate::ReadError;
use crate::chats::ChatError;
use crate::ports::{ChatStore, NotificationStore};

/// Unread counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnreadCounts {
    /// Unread notifications.
    pub notifications: u64,
    /// Others' chat messages after my read markers, summed over my chats.
    pub messages: u64,
}

/// Counts what the caller has not read.
#[derive(Clone)]
pub struct UnreadCount {
    notifications: Arc<dyn NotificationStore>,
    chats: Arc<dyn ChatStore>,
}

impl UnreadCount {
    /// Wires the use case.
    pub fn new(notifications: Arc<dyn NotificationStore>, chats: Arc<dyn ChatStore>) -> Self {
        Self {
            notifications,
            chats,
        }
    }

    /// `me`'s unread counts.
    pub async fn execute(&self, me: UserId) -> Result<UnreadCounts, ReadError> {
        Ok(UnreadCounts {
            notifications: self.notifications.unread_count(me).await?,
            messages: self.chats.unread_total(me).await.map_err(|e| match e {
                ChatError::Unavailable(source) => ReadError::Unavailable(source),
                other => ReadError::Unexpected(other.into()),
            })?,
        })
    }
}

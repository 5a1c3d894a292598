//! Stored notifications (PostgreSQL in production).

use async_trait::async_trait;
use sakura_domain::notifications::Notification;
use sakura_domain::{NotificationId, UserId};
use time::OffsetDateTime;

use crate::StoreError;
use crate::pagination::{Page, PageRequest};

/// Notifications of each recipient, with their read flags.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// `recipient`'s notifications, newest first; only unread ones if `unread_only`.
    async fn list(
        &self,
        recipient: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, StoreError>;

    /// How many are unread.
    async fn unread_count(&self, recipient: UserId) -> Result<u64, StoreError>;

    /// Marks `ids` read `at`, all or nothing.
    /// Errors: `NotFound` (and nothing marked) when any id is not one of `recipient`'s.
    async fn mark_read(
        &self,
        recipient: UserId,
        ids: &[NotificationId],
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Marks all of `recipient`'s notifications read `at`.
    async fn mark_all_read(&self, recipient: UserId, at: OffsetDateTime) -> Result<(), StoreError>;
}

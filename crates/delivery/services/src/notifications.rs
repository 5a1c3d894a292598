//! The notifications feature.

use sakura_application::notifications::{ListNotifications, MarkNotificationsRead, UnreadCount};

/// The use cases of the notification endpoints.
pub struct NotificationServices {
    /// My notifications.
    pub list_notifications: ListNotifications,
    /// Unread badges.
    pub unread_count: UnreadCount,
    /// Mark notifications read.
    pub mark_notifications_read: MarkNotificationsRead,
}

//! Notification use cases: one file each.

mod list;
mod mark_read;
mod unread_count;

pub use list::{ListNotifications, NotificationView};
pub use mark_read::{MarkNotificationsRead, MarkRead, MarkReadError};
pub use unread_count::{UnreadCount, UnreadCounts};

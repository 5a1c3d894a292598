//! Notification endpoints: one handler per file, mirroring `sakura_application::notifications`.

mod list;
mod mark_read;
mod unread_count;

pub use list::{__path_list_notifications, list_notifications};
pub use mark_read::{__path_mark_read, MarkReadRequest, mark_read};
pub use unread_count::{__path_unread_count, unread_count};

//! A login session: one device's standing permission to refresh its tokens.

use time::OffsetDateTime;

use crate::{SessionId, UserId};

/// One logged-in device of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Identity, carried as `sid` in access tokens.
    pub id: SessionId,
    /// Whose session it is.
    pub user_id: UserId,
    /// When the user logged in on this device.
    pub created_at: OffsetDateTime,
    /// When its refresh token was last used (or issued).
    pub last_used_at: OffsetDateTime,
    /// When it lapses unless refreshed.
    pub expires_at: OffsetDateTime,
    /// The device's `User-Agent`, truncated, to let a user recognise it.
    pub user_agent: Option<String>,
}

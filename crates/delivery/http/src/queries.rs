//! Query-string parameters of the list endpoints.
//!
//! They live apart from their handlers: utoipa's `params(...)` expansion trips the
//! `unused_qualifications` lint when the type sits in the handler's own module.

use serde::Deserialize;
use utoipa::IntoParams;

/// Parameters of a plain paginated list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Page size, 1–100 (default 20).
    pub limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// Which requests.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RequestsQuery {
    /// `incoming` (default) or `outgoing`.
    pub direction: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// Which notifications.
#[derive(Debug, Deserialize, IntoParams)]
pub struct NotificationsQuery {
    /// `true`: only unread ones.
    pub unread: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// Friends list parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FriendsQuery {
    /// Keep only friends whose name contains this (typos allowed).
    pub q: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Part of a name, typos allowed (1–100 characters).
    pub q: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

//! Query-string parameters of the list endpoints.
//!
//! They live apart from their handlers: utoipa's `params(...)` expansion trips the
//! `unused_qualifications` lint when the type sits in the handler's own module.

use sakura_application::users::MAX_QUERY_CHARS;
use sakura_domain::users::has_control_characters;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::problem::ApiError;

/// A name query (`?q=`): trimmed, `None` when blank; 422 when too long or holding control
/// characters (a NUL byte cannot even be sent to PostgreSQL).
pub(crate) fn name_query(raw: Option<&str>) -> Result<Option<&str>, ApiError> {
    let Some(q) = raw.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::invalid_field(
            "q",
            format!("must be at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    if has_control_characters(q) || q.contains(['\n', '\r', '\t']) {
        return Err(ApiError::invalid_field(
            "q",
            "must not contain control characters",
        ));
    }
    Ok(Some(q))
}

/// Parameters of a plain paginated list.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct PageQuery {
    /// Page size, 1–100 (default 20).
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub(crate) cursor: Option<String>,
}

/// Which requests.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct RequestsQuery {
    /// `incoming` (default) or `outgoing`.
    pub(crate) direction: Option<String>,
    /// Page size, 1–100 (default 20).
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub(crate) cursor: Option<String>,
}

/// Which notifications.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct NotificationsQuery {
    /// `true`: only unread ones.
    pub(crate) unread: Option<String>,
    /// Page size, 1–100 (default 20).
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub(crate) cursor: Option<String>,
}

/// Friends list parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct FriendsQuery {
    /// Keep only friends whose name contains this (typos allowed).
    pub(crate) q: Option<String>,
    /// Page size, 1–100 (default 20).
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub(crate) cursor: Option<String>,
}

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct SearchQuery {
    /// Part of a name, typos allowed (1–100 characters).
    pub(crate) q: Option<String>,
    /// Page size, 1–100 (default 20).
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    pub(crate) cursor: Option<String>,
}

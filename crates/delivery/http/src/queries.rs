//! Query-string parameters of the list endpoints.
//!
//! They live apart from their handlers: utoipa's `params(...)` expansion trips the
//! `unused_qualifications` lint when the type sits in the handler's own module.
//!
//! Every field is read as a string, so a bad value gets our own 422 problem naming it rather
//! than actix's; the `#[param(value_type = ..)]`s tell the OpenAPI document the types they are
//! parsed as.

use sakura_application::users::MAX_QUERY_CHARS;
use sakura_domain::users::has_control_characters;
use sakura_wire::RequestDirectionDto;
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

/// A free-text query (`?q=` of message search): trimmed, `None` when blank; 422 when it holds
/// control characters. Its length is the use case's to judge.
pub(crate) fn text_query(raw: Option<&str>) -> Result<Option<&str>, ApiError> {
    let Some(q) = raw.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().any(char::is_control) {
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
    #[param(value_type = u32, required = false, minimum = 1, maximum = 100, default = 20, example = 20)]
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    #[param(value_type = String, required = false)]
    pub(crate) cursor: Option<String>,
}

/// Which requests.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct RequestsQuery {
    /// `incoming` (default) or `outgoing`.
    #[param(value_type = RequestDirectionDto, required = false, inline)]
    pub(crate) direction: Option<String>,
    /// Page size, 1–100 (default 20).
    #[param(value_type = u32, required = false, minimum = 1, maximum = 100, default = 20, example = 20)]
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    #[param(value_type = String, required = false)]
    pub(crate) cursor: Option<String>,
}

/// Which notifications.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct NotificationsQuery {
    /// `true`: only unread ones (default `false`).
    #[param(value_type = bool, required = false, default = false)]
    pub(crate) unread: Option<String>,
    /// Page size, 1–100 (default 20).
    #[param(value_type = u32, required = false, minimum = 1, maximum = 100, default = 20, example = 20)]
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    #[param(value_type = String, required = false)]
    pub(crate) cursor: Option<String>,
}

/// Friends list parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct FriendsQuery {
    /// Keep only friends whose name contains this (typos allowed; at most 100 characters).
    #[param(value_type = String, required = false, max_length = 100)]
    pub(crate) q: Option<String>,
    /// Page size, 1–100 (default 20).
    #[param(value_type = u32, required = false, minimum = 1, maximum = 100, default = 20, example = 20)]
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    #[param(value_type = String, required = false)]
    pub(crate) cursor: Option<String>,
}

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct SearchQuery {
    /// Part of a name, typos allowed (1–100 characters).
    #[param(value_type = String, required = true, min_length = 1, max_length = 100, example = "Tanaka")]
    pub(crate) q: Option<String>,
    /// Page size, 1–100 (default 20).
    #[param(value_type = u32, required = false, minimum = 1, maximum = 100, default = 20, example = 20)]
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    #[param(value_type = String, required = false)]
    pub(crate) cursor: Option<String>,
}

/// Message search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(rename_all = "camelCase")]
pub(crate) struct MessageSearchQuery {
    /// Words to find (1–200 characters): every one must match, by prefix.
    #[param(value_type = String, required = true, min_length = 1, max_length = 200, example = "sakura")]
    pub(crate) q: Option<String>,
    /// Only this chat of mine.
    #[param(value_type = uuid::Uuid, required = false)]
    pub(crate) chat_id: Option<String>,
    /// Page size, 1–100 (default 20).
    #[param(value_type = u32, required = false, minimum = 1, maximum = 100, default = 20, example = 20)]
    pub(crate) limit: Option<String>,
    /// `nextCursor` of the previous page.
    #[param(value_type = String, required = false)]
    pub(crate) cursor: Option<String>,
}

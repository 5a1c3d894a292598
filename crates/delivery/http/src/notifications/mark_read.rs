//! `POST /api/v1/notifications/read`

use actix_web::{HttpResponse, web};
use garde::Validate;
use sakura_application::notifications::{MarkRead, MarkReadError};
use sakura_domain::NotificationId;
use sakura_services::NotificationServices;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// Which notifications to mark read: `{"ids": [...]}` or `{"all": true}`.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub(crate) struct MarkReadRequest {
    /// These notifications (1–500 of them).
    #[garde(length(max = 500))]
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>, required = false, min_items = 1, max_items = 500, example = json!(["0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f"]))]
    pub(crate) ids: Option<Vec<Uuid>>,
    /// `true`: all of mine.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = bool, required = false, example = false)]
    pub(crate) all: Option<bool>,
}

/// Mark notifications read. All or nothing: if any id is not mine, nothing is marked (404).
#[utoipa::path(
    post, path = "/api/v1/notifications/read", tag = "notifications",
    request_body = MarkReadRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Marked read"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`notification_not_found`: an id is not one of mine", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: neither `ids` nor `all`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn mark_read(
    state: web::Data<NotificationServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<MarkReadRequest>,
) -> Result<HttpResponse, ApiError> {
    let which = match (body.all, body.ids) {
        (Some(true), _) => MarkRead::All,
        (_, Some(ids)) if !ids.is_empty() => {
            MarkRead::Ids(ids.into_iter().map(NotificationId::from_uuid).collect())
        }
        _ => {
            return Err(ApiError::invalid_field(
                "ids",
                "give a non-empty list of ids, or all: true",
            ));
        }
    };
    state
        .mark_notifications_read
        .execute(principal, which)
        .await
        .map_err(problem)?;
    Ok(HttpResponse::NoContent().finish())
}

fn problem(error: MarkReadError) -> ApiError {
    match error {
        MarkReadError::UnknownNotification => {
            ApiError::not_found("notification_not_found", "notification not found")
        }
        MarkReadError::Unavailable(e) => ApiError::unavailable(&e),
        MarkReadError::Unexpected(e) => ApiError::internal(&e),
    }
}

//! `GET /api/v1/notifications`

use actix_web::web;
use sakura_services::NotificationServices;
use sakura_wire::{NotificationDto, Page};

use crate::extract::{Authenticated, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::NotificationsQuery;

/// My notifications, newest first.
#[utoipa::path(
    get, path = "/api/v1/notifications", tag = "notifications",
    params(NotificationsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Notifications", body = Page<NotificationDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: bad `unread`, `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_notifications(
    state: web::Data<NotificationServices>,
    Authenticated(principal): Authenticated,
    query: web::Query<NotificationsQuery>,
) -> Result<web::Json<Page<NotificationDto>>, ApiError> {
    let unread_only = match query.unread.as_deref().map(str::trim) {
        None | Some("" | "false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => return Err(ApiError::invalid_field("unread", "must be true or false")),
    };
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let notifications = state
        .list_notifications
        .execute(principal.user_id, unread_only, page)
        .await
        .map_err(|e| ApiError::from_read(e, "notification_not_found"))?;
    Ok(web::Json(Page::from_page(&notifications, |n| {
        NotificationDto::from(n)
    })))
}

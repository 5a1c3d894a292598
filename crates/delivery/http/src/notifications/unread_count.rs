//! `GET /api/v1/notifications/unread-count`

use actix_web::web;
use sakura_services::NotificationServices;
use sakura_wire::UnreadCountDto;

use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

/// How many notifications (and chat messages) I have not read.
#[utoipa::path(
    get, path = "/api/v1/notifications/unread-count", tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Unread counts", body = UnreadCountDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn unread_count(
    state: web::Data<NotificationServices>,
    Authenticated(principal): Authenticated,
) -> Result<web::Json<UnreadCountDto>, ApiError> {
    let counts = state
        .unread_count
        .execute(principal.user_id)
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(UnreadCountDto {
        notifications: counts.notifications,
        messages: counts.messages,
    }))
}

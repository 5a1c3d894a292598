//! `GET /api/v1/users/{id}/photos`

use actix_web::web;
use sakura_services::PhotoServices;
use sakura_wire::{Page, PhotoDto};

use crate::extract::{Authenticated, UserPath, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::PageQuery;

/// A user's photos, newest first (if their privacy lets me see them).
#[utoipa::path(
    get, path = "/api/v1/users/{id}/photos", tag = "photos",
    params(("id" = String, Path, description = "User id, or `me`"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Photos", body = Page<PhotoDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`privacy_restricted`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`user_not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_photos(
    state: web::Data<PhotoServices>,
    Authenticated(principal): Authenticated,
    user: UserPath,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<PhotoDto>>, ApiError> {
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let photos = state
        .list_photos
        .execute(principal.user_id, user.resolve(principal.user_id), page)
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(Page::from_page(&photos, |p| PhotoDto::from(p))))
}

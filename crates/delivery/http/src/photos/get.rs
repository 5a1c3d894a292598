//! `GET /api/v1/photos/{id}`

use actix_web::web;
use sakura_domain::PhotoId;
use sakura_services::PhotoServices;
use sakura_wire::PhotoDto;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

/// A photo, if its owner's privacy lets me see it.
#[utoipa::path(
    get, path = "/api/v1/photos/{id}", tag = "photos",
    params(("id" = uuid::Uuid, Path, description = "Photo id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The photo", body = PhotoDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`privacy_restricted`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`photo_not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_photo(
    state: web::Data<PhotoServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<web::Json<PhotoDto>, ApiError> {
    let photo = state
        .get_photo
        .execute(principal.user_id, PhotoId::from_uuid(id))
        .await
        .map_err(|e| ApiError::from_read(e, "photo_not_found"))?;
    Ok(web::Json(PhotoDto::from(&photo)))
}

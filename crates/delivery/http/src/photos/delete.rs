//! `DELETE /api/v1/photos/{id}`

use actix_web::{HttpResponse, web};
use sakura_domain::PhotoId;
use sakura_services::PhotoServices;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

/// Delete one of my photos and its files (an avatar that used it is cleared).
#[utoipa::path(
    delete, path = "/api/v1/photos/{id}", tag = "photos",
    params(("id" = uuid::Uuid, Path, description = "Photo id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: not my photo", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`photo_not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn delete_photo(
    state: web::Data<PhotoServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<HttpResponse, ApiError> {
    state
        .delete_photo
        .execute(principal.user_id, PhotoId::from_uuid(id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

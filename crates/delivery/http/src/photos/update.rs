//! `PATCH /api/v1/photos/{id}`

use actix_web::web;
use garde::Validate;
use sakura_domain::PhotoId;
use sakura_domain::photos::Caption;
use sakura_services::PhotoServices;
use sakura_wire::PhotoDto;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{Authenticated, IdPath, ValidJson, nullable};
use crate::problem::{ApiError, Problem};

/// A caption change: an absent `caption` leaves it as it is.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdatePhotoRequest {
    /// Up to 2,000 characters; `null` or empty removes it.
    #[garde(skip)]
    #[schema(value_type = Option<String>, max_length = 2000, example = "Cherry blossoms at Ueno")]
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) caption: Option<Option<String>>,
}

/// Edit the caption of one of my photos.
#[utoipa::path(
    patch, path = "/api/v1/photos/{id}", tag = "photos",
    params(("id" = uuid::Uuid, Path, description = "Photo id")),
    request_body = UpdatePhotoRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The photo", body = PhotoDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: not my photo", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`photo_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn update_photo(
    state: web::Data<PhotoServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
    ValidJson(body): ValidJson<UpdatePhotoRequest>,
) -> Result<web::Json<PhotoDto>, ApiError> {
    let caption = match body.caption {
        Some(Some(raw)) => {
            Some(Caption::parse(&raw).map_err(|e| ApiError::invalid_field("caption", e))?)
        }
        Some(None) => Some(None),
        None => None,
    };
    let photo = state
        .update_caption
        .execute(principal.user_id, PhotoId::from_uuid(id), caption)
        .await?;
    Ok(web::Json(PhotoDto::from(&photo)))
}

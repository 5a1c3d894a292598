//! `PUT` and `DELETE /api/v1/users/me/avatar`

use actix_web::web;
use garde::Validate;
use sakura_domain::PhotoId;
use sakura_services::PhotoServices;
use sakura_wire::MeDto;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// Which photo becomes the avatar.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AvatarRequest {
    /// One of my photos.
    #[garde(custom(uuid_field))]
    #[serde(default)]
    #[schema(value_type = String, format = Uuid, required = true, example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub(crate) photo_id: String,
}

fn uuid_field(value: &str, _: &()) -> garde::Result {
    uuid::Uuid::try_parse(value)
        .map(drop)
        .map_err(|_| garde::Error::new("must be a photo id (UUID)"))
}

async fn me(
    state: &PhotoServices,
    user_id: sakura_domain::UserId,
) -> Result<web::Json<MeDto>, ApiError> {
    let me = state.get_me.execute(user_id).await?;
    Ok(web::Json(MeDto::new(&me.user, &me.profile)))
}

/// Use one of my photos as my avatar.
#[utoipa::path(
    put, path = "/api/v1/users/me/avatar", tag = "photos",
    request_body = AvatarRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My profile with the new avatar", body = MeDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: someone else's photo", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`photo_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn set_avatar(
    state: web::Data<PhotoServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<AvatarRequest>,
) -> Result<web::Json<MeDto>, ApiError> {
    let id = uuid::Uuid::try_parse(&body.photo_id)
        .map_err(|_| ApiError::invalid_field("photoId", "must be a photo id (UUID)"))?;
    state
        .set_avatar
        .execute(principal.user_id, Some(PhotoId::from_uuid(id)))
        .await?;
    me(&state, principal.user_id).await
}

/// Remove my avatar.
#[utoipa::path(
    delete, path = "/api/v1/users/me/avatar", tag = "photos",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My profile without an avatar", body = MeDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn clear_avatar(
    state: web::Data<PhotoServices>,
    Authenticated(principal): Authenticated,
) -> Result<web::Json<MeDto>, ApiError> {
    state.set_avatar.execute(principal.user_id, None).await?;
    me(&state, principal.user_id).await
}

//! `GET /api/v1/users/{id}`

use actix_web::web;
use sakura_domain::UserId;
use sakura_services::UserServices;
use sakura_wire::UserDto;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

/// A user's page as I may see it (fields their privacy hides are `null`).
#[utoipa::path(
    get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = UserDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`user_not_found`: unknown, or they blocked me", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_user(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<web::Json<UserDto>, ApiError> {
    let profile = state
        .get_profile
        .execute(principal.user_id, UserId::from_uuid(id))
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(UserDto::from(&profile)))
}

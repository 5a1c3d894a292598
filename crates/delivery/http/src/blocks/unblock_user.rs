//! `DELETE /api/v1/blocks/{userId}`

use actix_web::{HttpResponse, web};
use sakura_domain::UserId;
use sakura_services::BlockServices;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

/// Lift my block of `userId`.
#[utoipa::path(
    delete, path = "/api/v1/blocks/{userId}", tag = "blocks",
    params(("userId" = uuid::Uuid, Path, description = "The blocked user")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Unblocked"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`block_not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn unblock_user(
    state: web::Data<BlockServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<HttpResponse, ApiError> {
    state
        .unblock_user
        .execute(principal.user_id, UserId::from_uuid(id))
        .await
        .map_err(|e| ApiError::from_read(e, "block_not_found"))?;
    Ok(HttpResponse::NoContent().finish())
}

//! `DELETE /api/v1/blocks/{userId}`

use actix_web::{HttpResponse, web};
use sakura_application::blocks::UnblockError;
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
        .execute(principal.into(), UserId::from_uuid(id))
        .await
        .map_err(problem)?;
    Ok(HttpResponse::NoContent().finish())
}

fn problem(error: UnblockError) -> ApiError {
    match error {
        UnblockError::NotBlocked => ApiError::not_found("block_not_found", "block not found"),
        UnblockError::Unavailable(e) => ApiError::unavailable(&e),
        UnblockError::Unexpected(e) => ApiError::internal(&e),
    }
}

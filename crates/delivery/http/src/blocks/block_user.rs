//! `POST /api/v1/blocks`

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use sakura_application::blocks::BlockError;
use sakura_services::BlockServices;

use crate::extract::{Authenticated, ValidJson};
use crate::friends::UserRef;
use crate::problem::{ApiError, Problem};

impl From<BlockError> for ApiError {
    fn from(error: BlockError) -> Self {
        match error {
            BlockError::UnknownUser => ApiError::not_found("user_not_found", "no such user"),
            BlockError::Myself => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "cannot_block_self",
                "you cannot block yourself",
            ),
            BlockError::Unavailable(e) => ApiError::unavailable(&e),
            BlockError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Block a user: ends any friendship or request; they can no longer request, message or see me.
/// Blocking again changes nothing.
#[utoipa::path(
    post, path = "/api/v1/blocks", tag = "blocks",
    request_body = UserRef,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Blocked"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`user_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cannot_block_self` or `validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn block_user(
    state: web::Data<BlockServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<UserRef>,
) -> Result<HttpResponse, ApiError> {
    state
        .block_user
        .execute(principal.into(), body.id()?)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

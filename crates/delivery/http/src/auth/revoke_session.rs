//! `DELETE /api/v1/auth/sessions/{id}`

use actix_web::{HttpResponse, web};
use sakura_application::auth::RevokeSessionError;
use sakura_domain::SessionId;
use sakura_services::AuthServices;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

impl From<RevokeSessionError> for ApiError {
    fn from(error: RevokeSessionError) -> Self {
        match error {
            RevokeSessionError::NotFound => {
                ApiError::not_found("session_not_found", "you have no such session")
            }
            RevokeSessionError::Unavailable(e) => ApiError::unavailable(&e),
            RevokeSessionError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Log out one of my devices (this one too, if it is its id).
#[utoipa::path(
    delete, path = "/api/v1/auth/sessions/{id}", tag = "auth",
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`session_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The session store is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn revoke_session(
    state: web::Data<AuthServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<HttpResponse, ApiError> {
    state
        .revoke_session
        .execute(&principal, SessionId::from_uuid(id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

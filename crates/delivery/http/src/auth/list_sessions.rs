//! `GET /api/v1/auth/sessions`

use actix_web::web;
use sakura_application::auth::ListSessionsError;
use sakura_services::AuthServices;
use sakura_wire::{Page, SessionDto};

use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

impl From<ListSessionsError> for ApiError {
    fn from(error: ListSessionsError) -> Self {
        match error {
            ListSessionsError::Unavailable(e) => ApiError::unavailable(&e),
            ListSessionsError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// My logged-in devices, most recently used first (one page: a user has few).
#[utoipa::path(
    get, path = "/api/v1/auth/sessions", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My sessions", body = Page<SessionDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The session store is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_sessions(
    state: web::Data<AuthServices>,
    Authenticated(principal): Authenticated,
) -> Result<web::Json<Page<SessionDto>>, ApiError> {
    let sessions = state.list_sessions.execute(&principal).await?;
    Ok(web::Json(Page {
        items: sessions.into_iter().map(SessionDto::from).collect(),
        next_cursor: None,
    }))
}

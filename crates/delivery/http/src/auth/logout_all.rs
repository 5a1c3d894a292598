//! `POST /api/v1/auth/logout-all`

use actix_web::{HttpResponse, web};
use sakura_application::auth::LogoutAllError;
use sakura_services::AuthServices;

use super::cookie;
use crate::HttpConfig;
use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

impl From<LogoutAllError> for ApiError {
    fn from(error: LogoutAllError) -> Self {
        match error {
            LogoutAllError::Unavailable(e) => ApiError::unavailable(&e),
            LogoutAllError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Log out of every device, this one included.
#[utoipa::path(
    post, path = "/api/v1/auth/logout-all", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Every session revoked; the cookie is cleared", headers(("Set-Cookie" = String, description = "`refresh_token=; Max-Age=0; ...`: clears the refresh cookie"))),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The session store is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn logout_all(
    state: web::Data<AuthServices>,
    config: web::Data<HttpConfig>,
    Authenticated(principal): Authenticated,
) -> Result<HttpResponse, ApiError> {
    state.logout_all.execute(principal.into()).await?;
    Ok(cookie::cleared(&config))
}

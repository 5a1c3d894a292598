//! `POST /api/v1/auth/logout`

use actix_web::{HttpRequest, HttpResponse, web};
use sakura_application::auth::{LogoutError, LogoutTarget};
use sakura_services::AuthServices;

use super::cookie;
use super::refresh::RefreshRequest;
use crate::HttpConfig;
use crate::extract::{Authenticated, OptionalJson};
use crate::problem::{ApiError, Problem};

impl From<LogoutError> for ApiError {
    fn from(error: LogoutError) -> Self {
        match error {
            LogoutError::InvalidRefreshToken => ApiError::unauthorized(
                "invalid_refresh_token",
                "the refresh token is unknown, expired or revoked",
            ),
            LogoutError::Unavailable(e) => ApiError::unavailable(&e),
            LogoutError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Log out of this device: revokes the session of the access token, or — when the access token
/// has already expired — the session of the refresh token (body or cookie). Clears the cookie.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    request_body(content = Option<RefreshRequest>, description = "Optional: identifies the session when no valid access token is sent"),
    security(("bearer" = []), ()),
    responses(
        (status = 204, description = "Logged out; the cookie is cleared", headers(("Set-Cookie" = String, description = "`refresh_token=; Max-Age=0; ...`: clears the refresh cookie"))),
        (status = 401, description = "Neither a valid access token nor a valid refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The session store is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn logout(
    state: web::Data<AuthServices>,
    config: web::Data<HttpConfig>,
    req: HttpRequest,
    auth: Result<Authenticated, ApiError>,
    OptionalJson(body): OptionalJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let target = match (
        auth,
        cookie::refresh_token(&req, body.and_then(|b| b.refresh_token)),
    ) {
        (Ok(Authenticated(principal)), _) => LogoutTarget::Session {
            user_id: principal.user_id,
            session_id: principal.session_id,
        },
        (Err(_), Some(token)) => LogoutTarget::RefreshToken(token),
        (Err(error), None) => return Err(error),
    };
    state.logout.execute(target).await?;
    Ok(cookie::cleared(&config))
}

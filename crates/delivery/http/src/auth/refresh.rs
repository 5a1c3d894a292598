//! `POST /api/v1/auth/refresh`

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use sakura_application::auth::RefreshError;
use sakura_services::AuthServices;
use sakura_wire::TokenResponse;
use serde::Deserialize;
use utoipa::ToSchema;

use super::cookie;
use crate::HttpConfig;
use crate::extract::OptionalJson;
use crate::problem::{ApiError, Problem};

/// A refresh token, when not sent as the cookie.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RefreshRequest {
    /// The refresh token; omit to use the `refresh_token` cookie.
    #[garde(skip)]
    #[serde(default)]
    #[schema(example = "q3JcTzWl0pXh8h0m5cUQ0b7Tt6vVdQ3ZkqNn2Yk5b8E")]
    pub(crate) refresh_token: Option<String>,
}

impl From<RefreshError> for ApiError {
    fn from(error: RefreshError) -> Self {
        match error {
            RefreshError::Invalid => ApiError::unauthorized(
                "invalid_refresh_token",
                "the refresh token is unknown, expired or revoked; log in again",
            ),
            RefreshError::Reused => ApiError::unauthorized(
                "refresh_token_reused",
                "this refresh token was already used; the session has been revoked for safety",
            ),
            RefreshError::Unavailable(e) => ApiError::unavailable(&e),
            RefreshError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Trade a refresh token (body or cookie) for a new token pair. The old one stops working.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body(content = Option<RefreshRequest>, description = "Optional when the cookie is sent"),
    responses(
        (status = 200, description = "A new pair; also sets the `refresh_token` cookie", body = TokenResponse, headers(("Set-Cookie" = String, description = "`refresh_token=<token>; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=<seconds>`: the refresh token, for a browser app"))),
        (status = 401, description = "`invalid_refresh_token` or `refresh_token_reused`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The session store is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn refresh(
    state: web::Data<AuthServices>,
    config: web::Data<HttpConfig>,
    req: HttpRequest,
    OptionalJson(body): OptionalJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = cookie::refresh_token(&req, body.and_then(|b| b.refresh_token))
        .ok_or_else(|| ApiError::from(RefreshError::Invalid))?;
    let session = state.refresh.execute(&token).await?;
    cookie::token_response(StatusCode::OK, &state, &config, &session).await
}

//! `POST /api/v1/auth/login`

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use garde::Validate;
use sakura_application::auth::{LoginCommand, LoginError};
use sakura_services::AuthServices;
use sakura_wire::TokenResponse;
use serde::Deserialize;
use utoipa::ToSchema;

use super::cookie;
use crate::HttpConfig;
use crate::extract::{ClientInfo, ValidJson};
use crate::problem::{ApiError, Problem};
use crate::telemetry::{Counted, LoginFailure, RateLimit};

/// Credentials.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LoginRequest {
    /// The account's email, in any case.
    #[garde(length(min = 1, max = 320))]
    #[serde(default)]
    #[schema(
        required = true,
        min_length = 1,
        max_length = 320,
        example = "aiko@example.com"
    )]
    pub(crate) email: String,
    /// The password.
    #[garde(length(min = 1, max = 1024))]
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 1024, format = Password, example = "katana123")]
    pub(crate) password: String,
}

impl From<LoginError> for ApiError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::InvalidCredentials => {
                ApiError::unauthorized("invalid_credentials", "wrong email or password")
                    .counted(Counted::LoginFailure(LoginFailure::InvalidCredentials))
            }
            LoginError::RateLimited { retry_after } => {
                ApiError::rate_limited(RateLimit::Login, retry_after)
                    .counted(Counted::LoginFailure(LoginFailure::RateLimited))
            }
            LoginError::Unavailable(e) => ApiError::unavailable(&e),
            LoginError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Log in with email and password.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; also sets the `refresh_token` cookie", body = TokenResponse, headers(("Set-Cookie" = String, description = "`refresh_token=<token>; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=<seconds>`: the refresh token, for a browser app"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`invalid_credentials`: unknown email or wrong password", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "A dependency is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn login(
    state: web::Data<AuthServices>,
    config: web::Data<HttpConfig>,
    client: ClientInfo,
    ValidJson(body): ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = LoginCommand {
        email: body.email,
        password: body.password,
        ip: client.ip,
        user_agent: client.user_agent,
    };
    let session = state.login.execute(command).await?;
    cookie::token_response(StatusCode::OK, &state, &config, &session).await
}

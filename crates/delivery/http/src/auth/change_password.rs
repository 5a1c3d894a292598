//! `POST /api/v1/auth/password`

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use garde::Validate;
use sakura_application::auth::{ChangePasswordCommand, ChangePasswordError};
use sakura_domain::auth::Password;
use sakura_services::AuthServices;
use serde::Deserialize;
use utoipa::ToSchema;

use super::validate;
use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};
use crate::telemetry::RateLimit;

/// A password change.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ChangePasswordRequest {
    /// The password in use now.
    #[garde(length(min = 1, max = 1024))]
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 1024, format = Password, example = "katana123")]
    pub(crate) current_password: String,
    /// 8–72 bytes with at least one letter and one digit.
    #[garde(custom(validate::password))]
    #[serde(default)]
    #[schema(required = true, min_length = 8, max_length = 72, pattern = r"^(?=.*[A-Za-z\u00AA-\uFFFF])(?=.*[0-9])", format = Password, example = "wakizashi456")]
    pub(crate) new_password: String,
}

impl From<ChangePasswordError> for ApiError {
    fn from(error: ChangePasswordError) -> Self {
        match error {
            ChangePasswordError::WrongPassword => ApiError::new(
                StatusCode::FORBIDDEN,
                "invalid_credentials",
                "the current password is wrong",
            )
            .with_field("currentPassword", "is wrong"),
            ChangePasswordError::RateLimited { retry_after } => {
                ApiError::rate_limited(RateLimit::ChangePassword, retry_after)
            }
            ChangePasswordError::UserNotFound => {
                ApiError::unauthorized("invalid_token", "the account no longer exists")
            }
            ChangePasswordError::Unavailable(e) => ApiError::unavailable(&e),
            ChangePasswordError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Change my password. Every other session is logged out; this one stays.
#[utoipa::path(
    post, path = "/api/v1/auth/password", tag = "auth",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; other sessions revoked"),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`invalid_credentials`: the current password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the new password breaks the policy", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "A dependency is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change_password(
    state: web::Data<AuthServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = ChangePasswordCommand {
        current_password: body.current_password,
        new_password: validate::field("newPassword", Password::parse(&body.new_password))?,
    };
    state.change_password.execute(&principal, command).await?;
    Ok(HttpResponse::NoContent().finish())
}

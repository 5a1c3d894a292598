//! `POST /api/v1/auth/register`

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use garde::Validate;
use sakura_application::auth::{RegisterCommand, RegisterError};
use sakura_domain::auth::Password;
use sakura_domain::users::{Email, PersonName};
use sakura_services::AuthServices;
use sakura_wire::TokenResponse;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{cookie, validate};
use crate::HttpConfig;
use crate::extract::{ClientInfo, ValidJson};
use crate::problem::{ApiError, Problem};

/// A sign-up form.
///
/// Every field is required; a missing one reads as empty, so it is reported with the others.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RegisterRequest {
    /// 1–50 characters: letters of any script, spaces, `-`, `'`.
    #[garde(custom(validate::person_name))]
    #[serde(default)]
    #[schema(
        required = true,
        min_length = 1,
        max_length = 50,
        pattern = r"^[A-Za-z\s'\-\u00AA-\uFFFF]*[A-Za-z\u00AA-\uFFFF][A-Za-z\s'\-\u00AA-\uFFFF]*$",
        example = "Aiko"
    )]
    pub(crate) first_name: String,
    /// 1–50 characters: letters of any script, spaces, `-`, `'`.
    #[garde(custom(validate::person_name))]
    #[serde(default)]
    #[schema(
        required = true,
        min_length = 1,
        max_length = 50,
        pattern = r"^[A-Za-z\s'\-\u00AA-\uFFFF]*[A-Za-z\u00AA-\uFFFF][A-Za-z\s'\-\u00AA-\uFFFF]*$",
        example = "Tanaka"
    )]
    pub(crate) last_name: String,
    /// A valid address, not yet registered (compared case-insensitively).
    #[garde(custom(validate::email))]
    #[serde(default)]
    #[schema(required = true, min_length = 3, max_length = 254, format = Email, example = "aiko@example.com")]
    pub(crate) email: String,
    /// 8–72 bytes with at least one letter and one digit.
    #[garde(custom(validate::password))]
    #[serde(default)]
    #[schema(required = true, min_length = 8, max_length = 72, pattern = r"^(?=.*[A-Za-z\u00AA-\uFFFF])(?=.*[0-9])", format = Password, example = "katana123")]
    pub(crate) password: String,
}

impl From<RegisterError> for ApiError {
    fn from(error: RegisterError) -> Self {
        match error {
            RegisterError::EmailTaken => {
                let mut problem = ApiError::new(
                    StatusCode::CONFLICT,
                    "email_taken",
                    "an account with this email already exists",
                );
                problem = problem.with_field("email", "is already registered");
                problem
            }
            RegisterError::Unavailable(e) => ApiError::unavailable(&e),
            RegisterError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Create an account and log in on this device.
#[utoipa::path(
    post, path = "/api/v1/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and logged in; also sets the `refresh_token` cookie", body = TokenResponse, headers(("Set-Cookie" = String, description = "`refresh_token=<token>; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=<seconds>`: the refresh token, for a browser app"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "A dependency is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn register(
    state: web::Data<AuthServices>,
    config: web::Data<HttpConfig>,
    client: ClientInfo,
    ValidJson(body): ValidJson<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = RegisterCommand {
        first_name: validate::field("firstName", PersonName::parse(&body.first_name))?,
        last_name: validate::field("lastName", PersonName::parse(&body.last_name))?,
        email: validate::field("email", Email::parse(&body.email))?,
        password: validate::field("password", Password::parse(&body.password))?,
        user_agent: client.user_agent,
    };
    let session = state.register.execute(command).await?;
    cookie::token_response(StatusCode::CREATED, &state, &config, &session).await
}

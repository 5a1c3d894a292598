//! The authenticated caller, from `Authorization: Bearer`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use sakura_application::auth::{AuthenticateError, Principal};

use crate::AppState;
use crate::problem::ApiError;

/// The caller, proven by a valid access token of a live session. Missing, malformed, expired or
/// revoked tokens answer 401 with `unauthenticated`, `invalid_token`, `token_expired` or
/// `session_revoked`.
#[derive(Debug, Clone, Copy)]
pub struct Authenticated(pub Principal);

/// The bearer token of a request, if it has one.
pub(crate) fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state
                .ok_or_else(|| ApiError::internal(&anyhow_like("application state missing")))?;
            let token = token.ok_or_else(|| {
                ApiError::unauthorized(
                    "unauthenticated",
                    "send an access token as Authorization: Bearer <token>",
                )
            })?;
            let principal = state
                .authenticate
                .execute(&token)
                .await
                .map_err(|e| match e {
                    AuthenticateError::Expired => ApiError::unauthorized(
                        "token_expired",
                        "the access token has expired; refresh it",
                    ),
                    AuthenticateError::Invalid => {
                        ApiError::unauthorized("invalid_token", "the access token is not valid")
                    }
                    AuthenticateError::Revoked => ApiError::unauthorized(
                        "session_revoked",
                        "this session has been logged out",
                    ),
                })?;
            tracing::Span::current().record("user_id", tracing::field::display(principal.user_id));
            Ok(Authenticated(principal))
        })
    }
}

fn anyhow_like(message: &'static str) -> anyhow::Error {
    anyhow::Error::msg(message)
}

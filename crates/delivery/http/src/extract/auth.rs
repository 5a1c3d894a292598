//! The authenticated caller, from `Authorization: Bearer`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use sakura_application::auth::Principal;
use sakura_services::{AuthFailure, Authentication};

use crate::problem::ApiError;

/// The caller, proven by a valid access token of a live session. Missing, malformed, expired or
/// revoked tokens answer 401 with `unauthenticated`, `invalid_token`, `token_expired` or
/// `session_revoked`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Authenticated(pub(crate) Principal);

/// The bearer token of a request, if it has one.
pub(crate) fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

impl From<AuthFailure> for ApiError {
    fn from(failure: AuthFailure) -> Self {
        let detail = match failure {
            // The shared message speaks of no transport; here the fix is a header.
            AuthFailure::Missing => {
                "send an access token as Authorization: Bearer <token>".to_owned()
            }
            other => other.to_string(),
        };
        ApiError::unauthorized(failure.code(), detail)
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authentication = req.app_data::<web::Data<Authentication>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let authentication = authentication.ok_or_else(|| {
                ApiError::internal(&anyhow::Error::msg("Authentication is not app data"))
            })?;
            let principal = authentication.principal(token.as_deref()).await?;
            tracing::Span::current().record("user_id", tracing::field::display(principal.user_id));
            Ok(Authenticated(principal))
        })
    }
}

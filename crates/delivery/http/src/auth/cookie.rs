//! The refresh-token cookie, so a browser app need not keep the token in JavaScript.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use sakura_application::auth::AuthenticatedSession;
use sakura_services::AuthServices;
use sakura_wire::{MeDto, TokenResponse};
use time::OffsetDateTime;

use crate::HttpConfig;

/// The cookie's name.
pub(crate) const NAME: &str = "refresh_token";
/// Only the auth endpoints ever see it.
const PATH: &str = "/api/v1/auth";

fn cookie(config: &HttpConfig, value: String, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(NAME, value)
        .http_only(true)
        .secure(config.secure_cookies)
        .same_site(SameSite::Strict)
        .path(PATH)
        .max_age(max_age)
        .finish()
}

/// A token response with the refresh cookie set; the user is shown with their current counts.
pub(crate) async fn token_response(
    status: StatusCode,
    state: &AuthServices,
    config: &HttpConfig,
    session: &AuthenticatedSession,
) -> Result<HttpResponse, crate::problem::ApiError> {
    let me = state.get_me.execute(session.user.id).await?;
    let user = MeDto::new(&me.user, &me.profile);
    let seconds = (session.refresh_token_expires_at - OffsetDateTime::now_utc()).whole_seconds();
    Ok(HttpResponse::build(status)
        .cookie(cookie(
            config,
            session.refresh_token.clone(),
            CookieDuration::seconds(seconds.max(0)),
        ))
        .json(TokenResponse::new(session, user)))
}

/// A 204 that also clears the refresh cookie.
pub(crate) fn cleared(config: &HttpConfig) -> HttpResponse {
    HttpResponse::NoContent()
        .cookie(cookie(config, String::new(), CookieDuration::ZERO))
        .finish()
}

/// The refresh token from the body if given, else from the cookie.
pub(crate) fn refresh_token(req: &HttpRequest, from_body: Option<String>) -> Option<String> {
    from_body.filter(|t| !t.is_empty()).or_else(|| {
        req.cookie(NAME)
            .map(|c| c.value().to_owned())
            .filter(|t| !t.is_empty())
    })
}

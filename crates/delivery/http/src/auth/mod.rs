//! Auth endpoints: one handler per file, mirroring `sakura_application::auth`.

mod change_password;
mod cookie;
mod list_sessions;
mod login;
mod logout;
mod logout_all;
mod refresh;
mod register;
mod revoke_session;
mod validate;

use actix_web::web;
use sakura_wire::{Page, SessionDto, TokenResponse};
use utoipa::OpenApi;

use crate::Feature;

/// Accounts, tokens and sessions, under `/api/v1/auth`.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(
        register::register, login::login, refresh::refresh, logout::logout,
        logout_all::logout_all, list_sessions::list_sessions, revoke_session::revoke_session,
        change_password::change_password,
    ),
    components(schemas(
        TokenResponse, SessionDto, Page<SessionDto>,
        register::RegisterRequest, login::LoginRequest, refresh::RefreshRequest,
        change_password::ChangePasswordRequest,
    )),
    tags((name = "auth", description = "Accounts, tokens and sessions"))
)]
struct ApiDoc;

fn configure(cfg: &mut web::ServiceConfig) {
    // `web::resource` answers 405 for a known path with the wrong method (made a problem by
    // `ops::to_problem`); a bare `route` would fall through to 404.
    let post = |path: &str, handler| web::resource(path).route(handler);
    cfg.service(post(
        "/api/v1/auth/register",
        web::post().to(register::register),
    ))
    .service(post("/api/v1/auth/login", web::post().to(login::login)))
    .service(post(
        "/api/v1/auth/refresh",
        web::post().to(refresh::refresh),
    ))
    .service(post("/api/v1/auth/logout", web::post().to(logout::logout)))
    .service(post(
        "/api/v1/auth/logout-all",
        web::post().to(logout_all::logout_all),
    ))
    .service(
        web::resource("/api/v1/auth/sessions").route(web::get().to(list_sessions::list_sessions)),
    )
    .service(
        web::resource("/api/v1/auth/sessions/{id}")
            .route(web::delete().to(revoke_session::revoke_session)),
    )
    .service(post(
        "/api/v1/auth/password",
        web::post().to(change_password::change_password),
    ));
}

//! Sakura's HTTP delivery: actix-web handlers over the application's use cases.
//!
//! # Layout
//! - [`configure`]: every route, the JSON/path error handling, docs and ops endpoints.
//! - [`AppState`]: the use cases the handlers call, built by the server.
//! - `auth/`, `users/`: one handler per file, mirroring the application crate.
//! - [`extract`]: validated JSON, the authenticated caller, client details, ids in paths.
//! - [`problem`]: RFC 9457 problem details; every error a client sees is one.
//! - [`telemetry`]: request ids, spans, access log and Prometheus metrics.
//! - [`openapi`]: the generated OpenAPI 3.1 document, served with Swagger UI.
//!
//! Handlers translate; they hold no business rules. Each use-case error maps to a status and a
//! stable `code` next to the handler that answers it.

pub mod auth;
pub mod blocks;
pub mod dto;
pub mod extract;
pub mod friends;
pub mod notifications;
pub mod openapi;
pub mod ops;
pub mod photos;
pub mod problem;
pub mod queries;
mod state;
pub mod telemetry;
pub mod users;

use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{Scope, web};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub use state::AppState;

/// The versioned API under `/api/v1`.
fn api_v1() -> Scope {
    // `web::resource` answers 405 for a known path with the wrong method (made a problem by
    // `ops::to_problem`); a bare `route` would fall through to 404.
    let post = |path: &str, handler| web::resource(path).route(handler);
    web::scope("/api/v1")
        .service(
            web::scope("/auth")
                .service(post("/register", web::post().to(auth::register)))
                .service(post("/login", web::post().to(auth::login)))
                .service(post("/refresh", web::post().to(auth::refresh)))
                .service(post("/logout", web::post().to(auth::logout)))
                .service(post("/logout-all", web::post().to(auth::logout_all)))
                .service(web::resource("/sessions").route(web::get().to(auth::list_sessions)))
                .service(
                    web::resource("/sessions/{id}").route(web::delete().to(auth::revoke_session)),
                )
                .service(post("/password", web::post().to(auth::change_password))),
        )
        .service(
            // `/users/me...` before `/users/{id}...`: actix matches in registration order.
            web::scope("/users")
                .service(
                    web::resource("/me")
                        .route(web::get().to(users::get_me))
                        .route(web::patch().to(users::update_me)),
                )
                .service(
                    web::resource("/me/settings")
                        .route(web::get().to(users::get_settings))
                        .route(web::patch().to(users::update_settings)),
                )
                .service(web::resource("/me/suggestions").route(web::get().to(users::suggestions)))
                .service(
                    web::resource("/me/avatar")
                        .route(web::put().to(photos::set_avatar))
                        .route(web::delete().to(photos::clear_avatar)),
                )
                .service(web::resource("").route(web::get().to(users::search)))
                .service(web::resource("/{id}").route(web::get().to(users::get_user)))
                .service(web::resource("/{id}/friends").route(web::get().to(users::list_friends)))
                .service(web::resource("/{id}/photos").route(web::get().to(photos::list_photos)))
                .service(
                    web::resource("/{id}/friends/mutual")
                        .route(web::get().to(users::mutual_friends)),
                ),
        )
        .service(
            web::scope("/friends")
                .service(
                    web::resource("/requests")
                        .route(web::get().to(friends::list_requests))
                        .route(web::post().to(friends::send_request)),
                )
                .service(
                    web::resource("/requests/{id}/accept")
                        .route(web::post().to(friends::accept_request)),
                )
                .service(
                    web::resource("/requests/{id}/decline")
                        .route(web::post().to(friends::decline_request)),
                )
                .service(
                    web::resource("/requests/{id}")
                        .route(web::delete().to(friends::cancel_request)),
                )
                .service(web::resource("/{id}").route(web::delete().to(friends::unfriend))),
        )
        .service(
            web::scope("/blocks")
                .service(
                    web::resource("")
                        .route(web::get().to(blocks::list_blocks))
                        .route(web::post().to(blocks::block_user)),
                )
                .service(web::resource("/{id}").route(web::delete().to(blocks::unblock_user))),
        )
        .service(
            web::scope("/photos")
                .app_data(photos::multipart_config())
                .service(web::resource("").route(web::post().to(photos::upload_photo)))
                .service(
                    web::resource("/{id}")
                        .route(web::get().to(photos::get_photo))
                        .route(web::patch().to(photos::update_photo))
                        .route(web::delete().to(photos::delete_photo)),
                ),
        )
        .service(
            web::scope("/notifications")
                .service(web::resource("").route(web::get().to(notifications::list_notifications)))
                .service(
                    web::resource("/unread-count")
                        .route(web::get().to(notifications::unread_count)),
                )
                .service(web::resource("/read").route(web::post().to(notifications::mark_read))),
        )
}

/// Registers every HTTP route. The caller adds `web::Data<AppState>` and wraps the app with
/// [`middleware`]-style layers via [`wrap_app`].
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(ops::live))
        .route("/health/ready", web::get().to(ops::ready))
        .route("/metrics", web::get().to(ops::metrics))
        .route("/media/{key}", web::get().to(photos::media))
        .service(web::redirect("/swagger-ui", "/swagger-ui/"))
        .service(
            SwaggerUi::new("/swagger-ui/{_:.*}")
                .url("/api-docs/openapi.json", openapi::ApiDoc::openapi()),
        )
        .service(api_v1());
}

/// Builds the app: state, routes, problem details for every error, telemetry around it all.
pub fn app(
    state: web::Data<AppState>,
    extra: impl FnOnce(&mut web::ServiceConfig),
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    actix_web::App::new()
        .app_data(state)
        .app_data(web::PathConfig::default().error_handler(|_, _| {
            problem::ApiError::not_found("not_found", "no such resource").into()
        }))
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            problem::ApiError::new(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("invalid query parameters: {error}"),
            )
            .into()
        }))
        .configure(configure)
        .configure(extra)
        .default_service(web::to(ops::not_found))
        .wrap(ErrorHandlers::new().default_handler(ops::to_problem))
        .wrap(from_fn(telemetry::middleware))
}

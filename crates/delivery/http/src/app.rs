//! The actix `App`: the features' routes over the app data the server hands in.

use std::sync::Arc;

use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::web;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::{FEATURES, head, openapi, ops, problem, telemetry};

/// How HTTP itself behaves, apart from any feature.
#[derive(Debug, Clone, Copy)]
pub struct HttpConfig {
    /// Whether `X-Forwarded-For` comes from a trusted proxy.
    pub trust_proxy: bool,
    /// Whether the refresh cookie is marked `Secure` (always, except for local plain-HTTP dev).
    pub secure_cookies: bool,
}

type Register = Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

/// What handlers read as `web::Data<T>`: each feature's services, [`HttpConfig`],
/// [`HttpMetrics`](crate::HttpMetrics). Built once; every worker's `App` shares the same values.
#[derive(Clone, Default)]
pub struct AppData {
    registrations: Vec<Register>,
    /// `/metrics` is served by [`ops_app`] on a listener of its own, not by [`app`].
    metrics_elsewhere: bool,
}

impl AppData {
    /// Adds `value`, for handlers to take as `web::Data<T>` (the WebSocket handlers too: they
    /// run in the same `App`).
    #[must_use]
    pub fn with<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        let data = web::Data::new(value);
        self.registrations.push(Arc::new(move |cfg| {
            cfg.app_data(data.clone());
        }));
        self
    }

    /// `/metrics` is served only by [`ops_app`], on a listener of its own: [`app`] answers it
    /// 404, like any unknown route.
    #[must_use]
    pub fn metrics_elsewhere(mut self) -> Self {
        self.metrics_elsewhere = true;
        self
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        for register in &self.registrations {
            register(cfg);
        }
    }
}

/// Registers the docs and every feature's routes (without `/metrics` if `metrics_elsewhere`).
fn configure(cfg: &mut web::ServiceConfig, metrics_elsewhere: bool) {
    if metrics_elsewhere {
        // First match wins: this shadows the ops feature's route, for every method.
        cfg.route("/metrics", web::to(ops::not_found));
    }
    cfg.service(web::redirect("/swagger-ui", "/swagger-ui/"))
        .service(
            SwaggerUi::new("/swagger-ui/{_:.*}")
                .external_url_unchecked("/api-docs/openapi.json", openapi::document())
                // A developer trying the API keeps their bearer token across reloads.
                .config(Config::default().persist_authorization(true)),
        );
    for feature in FEATURES {
        (feature.configure)(cfg);
    }
}

/// Builds the app: data, routes (then `extra`'s, e.g. the WebSocket's), problem details for every
/// error, `HEAD` for every `GET`, telemetry around it all.
pub fn app(
    data: AppData,
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
    let metrics_elsewhere = data.metrics_elsewhere;
    actix_web::App::new()
        .configure(move |cfg| data.configure(cfg))
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
        .configure(|cfg| configure(cfg, metrics_elsewhere))
        .configure(extra)
        .default_service(web::to(ops::not_found))
        .wrap(ErrorHandlers::new().default_handler(ops::to_problem))
        .wrap(from_fn(head::middleware))
        .wrap(from_fn(telemetry::middleware))
}

/// The app of the metrics listener (`METRICS_ADDR`): `/metrics` and the health checks only, with
/// the same problem details and telemetry as [`app`]. Counts into the same families as `data`'s
/// [`HttpMetrics`](crate::HttpMetrics).
pub fn ops_app(
    data: AppData,
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
        .configure(move |cfg| data.configure(cfg))
        .configure(ops::configure)
        .default_service(web::to(ops::not_found))
        .wrap(ErrorHandlers::new().default_handler(ops::to_problem))
        .wrap(from_fn(head::middleware))
        .wrap(from_fn(telemetry::middleware))
}

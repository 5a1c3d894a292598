//! Sakura's HTTP delivery: actix-web handlers over the application's use cases.
//!
//! # Layout
//! - [`app`]: the actix `App` — every feature's routes, the JSON/path error handling, docs,
//!   telemetry — over the [`AppData`] the server fills (each feature's services from
//!   `sakura_services`, [`HttpConfig`], [`HttpMetrics`]); [`ops_app`]: only `/metrics` and the
//!   health checks, for a listener off the public port.
//! - `auth/`, `users/`, `friends/`, `blocks/`, `notifications/`, `photos/`, `chats/`, `ops`: the
//!   features, one handler per file, mirroring the application crate. Each has its own
//!   `configure` (its routes), its own OpenAPI fragment and takes its own services as
//!   `web::Data`; `FEATURES` names each once.
//! - `extract`: validated JSON, the authenticated caller, client details, ids in paths.
//! - `queries`: the query-string parameters of the list endpoints.
//! - `problem`: RFC 9457 problem details; every error a client sees is one (the body types are
//!   `sakura_wire`'s, shared with the WebSocket).
//! - `telemetry`: request ids, spans, access log and the HTTP metric families, with the business
//!   counters (failed logins, 429s, uploads) that handlers tag their answers for.
//! - `openapi`: the generated OpenAPI 3.1 document (the fragments merged), served with Swagger UI.
//!
//! Handlers translate; they hold no business rules. Each use-case error maps to a status and a
//! stable `code` next to the handler that answers it.

mod app;
mod auth;
mod blocks;
mod chats;
mod extract;
mod friends;
mod head;
mod notifications;
mod openapi;
mod ops;
mod photos;
mod problem;
mod queries;
mod telemetry;
mod users;

use actix_web::web;

pub use app::{AppData, HttpConfig, app, ops_app};
pub use telemetry::HttpMetrics;

/// One feature of the API: its routes and its part of the OpenAPI document.
#[derive(Clone, Copy)]
pub(crate) struct Feature {
    /// Registers the feature's routes, with their full paths (`/api/v1/...`).
    pub(crate) configure: fn(&mut web::ServiceConfig),
    /// The feature's paths, schemas and tag.
    pub(crate) openapi: fn() -> utoipa::openapi::OpenApi,
}

/// Every feature, in registration order (and the order of the document's tags); a new feature is
/// one more line here. Route order only matters inside a feature (`/users/me` before
/// `/users/{id}`): no two features share a path.
pub(crate) const FEATURES: &[Feature] = &[
    auth::FEATURE,
    users::FEATURE,
    friends::FEATURE,
    blocks::FEATURE,
    notifications::FEATURE,
    photos::FEATURE,
    chats::FEATURE,
    ops::FEATURE,
];

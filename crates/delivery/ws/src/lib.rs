//! Sakura's realtime delivery: the raw WebSocket endpoint of `docs/realtime.md`.
//!
//! Not built yet: the realtime issue adds `GET /ws` (auth frame, event fan-out from the
//! `EventPublisher` port through Redis pub/sub, resume, presence). Until then [`configure`]
//! registers no route, so `/ws` answers 404 like any unknown route. The use cases already publish
//! their events (e.g. `SessionsRevoked`, which will close a revoked session's sockets with 4001).
//!
//! # What is ready for it
//! - The use cases, as app data the server registers for HTTP and WebSocket alike
//!   (`web::Data<sakura_services::NotificationServices>`...), and token checks with their codes
//!   in [`sakura_services::Authentication`] (an auth frame's token, not a header).
//! - The wire types in `sakura_wire`, the same shapes HTTP sends.
//! - [`Shutdown`], as app data: each socket holds a [`Shutdown::connection`] guard while open
//!   and, when [`Shutdown::wait`] resolves, closes with 1001 — the server waits for that before
//!   it stops the HTTP server.
//! - A family of its own in the shared `sakura_services::MetricsRegistry`.

use actix_web::web;

pub use sakura_services::{ConnectionGuard, Shutdown};

/// Registers the WebSocket routes (none yet) and what they will need.
pub fn configure(cfg: &mut web::ServiceConfig, shutdown: &Shutdown) {
    cfg.app_data(web::Data::new(shutdown.clone()));
}

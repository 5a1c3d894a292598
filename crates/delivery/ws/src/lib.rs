//! Sakura's realtime delivery: the raw WebSocket endpoint of REALTIME.md.
//!
//! Not built yet: the realtime issue adds `GET /ws` (auth frame, event fan-out from the
//! `EventPublisher` port through Redis pub/sub, resume, presence). Until then [`configure`]
//! registers nothing, so `/ws` answers 404 like any unknown route. The use cases already publish
//! their events (e.g. `SessionsRevoked`, which will close a revoked session's sockets with 4001).

use actix_web::web;

/// Registers the WebSocket routes (none yet).
pub fn configure(_cfg: &mut web::ServiceConfig) {}

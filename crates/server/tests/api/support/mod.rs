//! What every end-to-end test needs: the running server ([`spawn_app`]) and a WebSocket client
//! ([`WsClient`]). The database and Redis helpers underneath come from `sakura_test_services`.

mod app;
mod ws;

pub use app::{RegisteredUser, TestApp, spawn_app, spawn_app_with};
pub use ws::WsClient;

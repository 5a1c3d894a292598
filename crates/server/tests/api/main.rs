//! End-to-end tests: the real server on port 0, real PostgreSQL and Redis, driven over HTTP
//! and WebSocket.
//!
//! One binary with a module per feature, so the suite links once. `support` starts the server
//! (`spawn_app`) and holds the WebSocket client; set `TEST_LOG=1` to see the server's logs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth_login;
mod auth_register;
mod auth_sessions;
mod blocks;
mod chats;
mod chats_support;
mod errors;
mod events;
mod friends;
mod logs;
mod messages;
mod messages_search;
mod notifications;
mod ops;
mod people_profile;
mod people_settings;
mod people_support;
mod photos;
mod photos_support;
mod search;
mod suggestions;
mod support;
mod users_me;
mod ws_client;

use reqwest::Response;
use serde_json::Value;

/// Asserts a problem-details response with this status and code; returns its body.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content-type {content_type}"
    );
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["code"], code, "code in {body}");
    assert_eq!(body["status"], status, "status in {body}");
    assert!(body["title"].is_string() && body["detail"].is_string() && body["type"].is_string());
    body
}

/// The `refresh_token` cookie a response sets, with its attributes.
pub fn refresh_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("refresh_token="))
        .map(str::to_owned)
}

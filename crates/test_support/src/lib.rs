//! Dev-only helpers for tests that use the real PostgreSQL and Redis.
//!
//! # Layout
//! - [`TestDatabase`]: a fresh database per test, cloned from a template migrated once per
//!   migration set, dropped when the test ends.
//! - [`TestRedis`]: a key prefix per test, its keys deleted when the test ends.
//! - [`spawn_app`]: the real server on port 0 with both, and an HTTP client.
//!
//! A test whose service is unreachable fails with a message naming it and how to start it; it
//! never passes silently. Set `TEST_LOG=1` to see the server's logs.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod app;
mod database;
mod redis;

pub use app::{RegisteredUser, TestApp, spawn_app, spawn_app_with};
pub use database::{TestDatabase, drop_database};
pub use redis::TestRedis;

/// `DATABASE_URL`, or the documented default.
pub fn database_url() -> String {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/sakura".to_owned())
}

/// `REDIS_URL`, or the documented default.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "redis://127.0.0.1:6379".to_owned())
}

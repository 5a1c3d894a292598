//! Dev-only helpers for tests that use the real PostgreSQL and Redis.
//!
//! # Layout
//! - [`TestDatabase`]: a fresh database per test, cloned from a template migrated once per
//!   migration set, dropped when the test ends.
//! - [`TestRedis`]: a key prefix per test, its keys deleted when the test ends.
//! - [`TestCertificates`], [`TlsRedisServer`], [`postgres_server_certificate`]: TLS tests (a
//!   throwaway CA, a redis-server of the test's own that speaks only TLS, PostgreSQL's certificate).
//!
//! This crate depends on no `sakura_*` crate, so an adapter's tests build only what that adapter
//! needs: `cargo test -p sakura_redis` compiles neither the server nor actix. The migrations come
//! from the caller ([`TestDatabase::new`] takes the runner). The running server for end-to-end
//! tests (`spawn_app`) and the WebSocket test client live with the server's tests, in
//! `crates/server/tests/api/support/`.
//!
//! A test whose service is unreachable fails with a message naming it and how to start it; it
//! never passes silently.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod database;
mod redis;
mod tls;

pub use database::{TestDatabase, drop_database};
pub use redis::TestRedis;
pub use tls::{TestCertificates, TlsRedisServer, postgres_server_certificate};

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

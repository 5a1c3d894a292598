//! Redis adapters of Sakura's ports.
//!
//! # Layout
//! - [`RedisConfig`] / [`connect`]: the pool and the key prefix every key starts with (so tests,
//!   and several deployments, can share one Redis); `rediss://` URLs connect with TLS (rustls),
//!   trusting the system's roots or `ca_cert`.
//! - [`RedisSessionStore`]: refresh sessions, rotated atomically by a Lua script.
//! - [`RedisFailureLimiter`]: fixed-window failure counters.
//! - [`RedisProbe`] checks readiness.
//!
//! Every connection-level failure becomes `StoreError::Unavailable`, which callers treat as the
//! degraded mode of `docs/architecture.md` ("Runtime shape") rather than a crash.

mod error;
mod limiter;
mod pool;
mod sessions;

pub use limiter::RedisFailureLimiter;
pub use pool::{Keys, RedisConfig, RedisPool, RedisProbe, connect, read_ca_cert};
pub use sessions::RedisSessionStore;

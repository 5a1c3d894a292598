//! Redis adapters of Sakura's ports.
//!
//! # Layout
//! - [`RedisConfig`] / [`connect`]: the pool and the key prefix every key starts with (so tests,
//!   and several deployments, can share one Redis).
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
pub use pool::{Keys, RedisConfig, RedisPool, RedisProbe, connect};
pub use sessions::RedisSessionStore;

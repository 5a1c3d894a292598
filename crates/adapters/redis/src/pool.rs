//! The pool, key naming and readiness.

use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use deadpool_redis::redis;
use deadpool_redis::{Pool, Runtime};
use sakura_application::StoreError;
use sakura_application::ports::DependencyProbe;

/// A pool of Redis connections.
pub type RedisPool = Pool;

/// Where Redis is and how keys are named.
#[derive(Debug, Clone)]
pub struct RedisConfig {
    /// `redis://host:port/db`.
    pub url: String,
    /// Put in front of every key, e.g. `sakura:`.
    pub key_prefix: String,
    /// Connections in the pool.
    pub pool_size: usize,
}

/// Builds a pool. It connects lazily; a command that cannot get a connection within a few
/// seconds fails with `Unavailable`, and the pool reconnects by itself once Redis is back.
pub fn connect(config: &RedisConfig) -> anyhow::Result<RedisPool> {
    deadpool_redis::Config::from_url(config.url.clone())
        .builder()
        .context("REDIS_URL")?
        .max_size(config.pool_size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(3)))
        .create_timeout(Some(Duration::from_secs(2)))
        .recycle_timeout(Some(Duration::from_secs(2)))
        .build()
        .context("build the Redis pool")
}

/// Key naming, shared by the adapters.
#[derive(Debug, Clone)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    /// Keys starting with `prefix`.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
        }
    }

    /// `<prefix><rest>`.
    pub fn key(&self, rest: std::fmt::Arguments<'_>) -> String {
        format!("{}{}", self.prefix, rest)
    }
}

/// Readiness check of Redis.
pub struct RedisProbe {
    pool: RedisPool,
}

impl RedisProbe {
    /// Probes through `pool`.
    pub fn new(pool: RedisPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl DependencyProbe for RedisProbe {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn check(&self) -> Result<(), StoreError> {
        let ping = async {
            let mut conn = self.pool.get().await.map_err(crate::error::pool)?;
            let _: String = redis::cmd("PING")
                .query_async(&mut conn)
                .await
                .map_err(crate::error::command("ping"))?;
            Ok(())
        };
        tokio::time::timeout(Duration::from_secs(3), ping)
            .await
            .unwrap_or_else(|_| Err(StoreError::unavailable(anyhow::anyhow!("ping timed out"))))
    }
}

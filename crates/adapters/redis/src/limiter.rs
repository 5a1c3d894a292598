//! Fixed-window failure counters.

use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::redis::{self, Pipeline};
use sakura_application::StoreError;
use sakura_application::ports::{FailureLimiter, LimitRule};

use crate::{Keys, RedisPool, error};

/// Counts failures in Redis: `INCR` plus an expiry set on the first failure of a window.
#[derive(Clone)]
pub struct RedisFailureLimiter {
    pool: RedisPool,
    keys: Keys,
}

impl RedisFailureLimiter {
    /// A limiter on `pool` with keys under `prefix`.
    pub fn new(pool: RedisPool, prefix: &str) -> Self {
        Self {
            pool,
            keys: Keys::new(prefix),
        }
    }

    fn key(&self, rule: &LimitRule) -> String {
        self.keys.key(format_args!("ratelimit:{}", rule.key))
    }
}

#[async_trait]
impl FailureLimiter for RedisFailureLimiter {
    async fn retry_after(&self, rules: &[LimitRule]) -> Result<Option<Duration>, StoreError> {
        if rules.is_empty() {
            return Ok(None);
        }
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let mut pipe = Pipeline::new();
        for rule in rules {
            let key = self.key(rule);
            pipe.cmd("GET").arg(&key).cmd("PTTL").arg(&key);
        }
        let answers: Vec<(Option<u32>, i64)> = pipe
            .query_async(&mut conn)
            .await
            .map_err(error::command("read rate limits"))?;
        Ok(rules
            .iter()
            .zip(answers)
            .filter(|(rule, (count, _))| count.unwrap_or(0) >= rule.limit)
            .map(|(rule, (_, pttl))| {
                // A key without expiry cannot happen (set with the first INCR); be safe anyway.
                if pttl > 0 {
                    Duration::from_millis(pttl.unsigned_abs())
                } else {
                    rule.window
                }
            })
            .max())
    }

    async fn record_failure(&self, rules: &[LimitRule]) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let mut pipe = redis::pipe();
        pipe.atomic();
        for rule in rules {
            let key = self.key(rule);
            let window_ms = u64::try_from(rule.window.as_millis()).unwrap_or(u64::MAX);
            pipe.cmd("INCR").arg(&key).ignore();
            pipe.cmd("PEXPIRE")
                .arg(&key)
                .arg(window_ms)
                .arg("NX")
                .ignore();
        }
        pipe.query_async::<()>(&mut conn)
            .await
            .map_err(error::command("count a failure"))
    }

    async fn clear(&self, rule: &LimitRule) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        redis::cmd("DEL")
            .arg(self.key(rule))
            .query_async::<()>(&mut conn)
            .await
            .map_err(error::command("clear failures"))
    }
}

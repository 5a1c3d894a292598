//! A Redis key prefix per test.

use std::time::Duration;

use deadpool_redis::redis::{self, AsyncCommands};
use deadpool_redis::{Pool, Runtime};
use uuid::Uuid;

/// A pool and a prefix of this test's own; its keys are deleted on drop.
pub struct TestRedis {
    url: String,
    prefix: String,
    pool: Pool,
}

/// A small pool with short timeouts, so an unreachable Redis fails the test quickly. The same
/// settings as the server's pool (`sakura_redis::connect`), built here so this crate needs no
/// Sakura crate.
fn pool(url: &str) -> Pool {
    deadpool_redis::Config::from_url(url)
        .builder()
        .expect("REDIS_URL")
        .max_size(4)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(3)))
        .create_timeout(Some(Duration::from_secs(2)))
        .recycle_timeout(Some(Duration::from_secs(2)))
        .build()
        .expect("Redis pool")
}

impl TestRedis {
    /// Checks Redis answers and picks a fresh prefix.
    pub async fn new() -> Self {
        let url = crate::redis_url();
        let pool = pool(&url);
        let reachable = async {
            let mut conn = pool.get().await.ok()?;
            redis::cmd("PING")
                .query_async::<String>(&mut conn)
                .await
                .ok()
        }
        .await;
        assert!(
            reachable.is_some(),
            "Redis is not reachable at {url}.\n\
             Start it with `just services`, or `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no`, \
             or point REDIS_URL at a running server."
        );
        Self {
            url,
            prefix: format!("test:{}:", Uuid::new_v4().simple()),
            pool,
        }
    }

    /// The prefix every key of this test starts with.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Redis's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A pool on it.
    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    /// The keys this test has created so far (without the prefix), sorted.
    pub async fn keys(&self) -> Vec<String> {
        let mut conn = self.pool.get().await.expect("Redis connection");
        let mut keys: Vec<String> = conn.keys(format!("{}*", self.prefix)).await.expect("KEYS");
        keys.iter_mut()
            .for_each(|k| *k = k[self.prefix.len()..].to_owned());
        keys.sort();
        keys
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        let (url, pattern) = (self.url.clone(), format!("{}*", self.prefix));
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let client = redis::Client::open(url).ok()?;
                let mut conn = client.get_multiplexed_async_connection().await.ok()?;
                let keys: Vec<String> = conn.keys(pattern).await.ok()?;
                if !keys.is_empty() {
                    let _: () = conn.del(keys).await.ok()?;
                }
                Some(())
            })
        })
        .join();
    }
}

//! A Redis key prefix per test.

use deadpool_redis::redis::{self, AsyncCommands};
use uuid::Uuid;

/// A pool and a prefix of this test's own; its keys are deleted on drop.
pub struct TestRedis {
    url: String,
    prefix: String,
    pool: deadpool_redis::Pool,
}

impl TestRedis {
    /// Checks Redis answers and picks a fresh prefix.
    pub async fn new() -> Self {
        let url = crate::redis_url();
        let pool = sakura_redis::connect(&sakura_redis::RedisConfig {
            url: url.clone(),
            key_prefix: String::new(),
            pool_size: 4,
        })
        .expect("Redis pool");
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
    pub fn pool(&self) -> deadpool_redis::Pool {
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

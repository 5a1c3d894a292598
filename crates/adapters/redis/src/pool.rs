//! The pool, key naming and readiness.

use std::path::{Path, PathBuf};
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
    /// `redis://host:port/db`, or `rediss://` for TLS (`rediss://host:port/db#insecure` skips the
    /// certificate check).
    pub url: String,
    /// A PEM file of the CA certificates to trust for `rediss://` instead of the system's.
    pub ca_cert: Option<PathBuf>,
    /// Put in front of every key, e.g. `sakura:`.
    pub key_prefix: String,
    /// Connections in the pool.
    pub pool_size: usize,
}

/// Builds a pool. It connects lazily; a command that cannot get a connection within a few
/// seconds fails with `Unavailable`, and the pool reconnects by itself once Redis is back.
///
/// A `rediss://` URL connects with TLS (rustls), checking Redis's certificate against
/// `ca_cert` if given, else the system's roots.
pub fn connect(config: &RedisConfig) -> anyhow::Result<RedisPool> {
    // redis asks rustls for the process' default provider: make it the one this build has.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let manager = match &config.ca_cert {
        None => deadpool_redis::Manager::new(config.url.as_str()).context("REDIS_URL")?,
        Some(path) => {
            anyhow::ensure!(
                config.url.starts_with("rediss://"),
                "REDIS_CA_CERT is set but REDIS_URL is not a rediss:// (TLS) URL"
            );
            let client = redis::Client::build_with_tls(
                config.url.as_str(),
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(read_ca_cert(path)?),
                },
            )
            .context("REDIS_URL with REDIS_CA_CERT")?;
            deadpool_redis::Manager::new(client.get_connection_info().clone())
                .context("REDIS_URL")?
        }
    };
    Pool::builder(manager)
        .max_size(config.pool_size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(3)))
        .create_timeout(Some(Duration::from_secs(2)))
        .recycle_timeout(Some(Duration::from_secs(2)))
        .build()
        .context("build the Redis pool")
}

/// Reads a PEM file of CA certificates (`REDIS_CA_CERT`), failing unless it holds at least one.
pub fn read_ca_cert(path: &Path) -> anyhow::Result<Vec<u8>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let pem = std::fs::read(path).with_context(|| format!("read {}", path.display()))?;
    let mut found = 0;
    for cert in CertificateDer::pem_slice_iter(&pem) {
        cert.with_context(|| format!("{} is not a PEM certificate file", path.display()))?;
        found += 1;
    }
    anyhow::ensure!(found > 0, "{} holds no PEM certificate", path.display());
    Ok(pem)
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

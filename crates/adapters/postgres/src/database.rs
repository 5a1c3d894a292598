//! The connection pool, database creation, migrations and readiness.

use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use deadpool::Runtime;
use diesel::sql_types::Text;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use sakura_application::StoreError;
use sakura_application::ports::DependencyProbe;

use crate::tls::PgConnectOptions;

/// The migrations in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../../migrations");

/// A pool of PostgreSQL connections.
pub type PgPool = Pool<AsyncPgConnection>;

/// Builds a pool of at most `size` connections to `url`, with TLS as its `sslmode` says (see
/// [`PgConnectOptions`]). It connects lazily; a request that cannot get a connection within a few
/// seconds fails with `Unavailable` instead of hanging.
pub fn connect(url: &str, size: usize) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::parse(url).context("DATABASE_URL")?;
    let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
    // diesel-async's own setup connects without TLS: every pooled connection is made here.
    manager_config.custom_setup = Box::new(move |_url| {
        let options = options.clone();
        Box::pin(async move { options.establish().await })
    });
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, manager_config);
    Pool::builder(manager)
        .max_size(size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(3)))
        .recycle_timeout(Some(Duration::from_secs(2)))
        .build()
        .context("build the PostgreSQL pool")
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

/// Creates the database named in `url` if it does not exist yet.
/// It connects to the server's `postgres` database, with the same TLS settings.
pub async fn ensure_database(url: &str) -> anyhow::Result<()> {
    let options = PgConnectOptions::parse(url).context("DATABASE_URL")?;
    let name = options.database().to_owned();
    let mut conn = options
        .with_database("postgres")
        .establish()
        .await
        .context("connect to PostgreSQL (is it running at DATABASE_URL?)")?;
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(&name)
            .get_result(&mut conn)
            .await
            .context("look for the database")?;
    if !found.exists {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        match diesel::sql_query(format!("CREATE DATABASE {quoted}"))
            .execute(&mut conn)
            .await
        {
            Ok(_) => tracing::info!(database = %name, "database created"),
            // Another instance created it at the same moment.
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("already exists") => {}
            Err(error) => return Err(error).context("create the database"),
        }
    }
    Ok(())
}

/// Applies pending migrations, one instance at a time.
pub async fn run_migrations(url: &str) -> anyhow::Result<()> {
    let options = PgConnectOptions::parse(url).context("DATABASE_URL")?;
    let conn = options
        .establish()
        .await
        .context("connect to run migrations")?;
    // The wrapper block_on()s internally, so it runs on the blocking pool.
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
        // Several instances may start together: an advisory lock lets one migrate at a time.
        diesel::RunQueryDsl::execute(
            diesel::sql_query("SELECT pg_advisory_lock(7061726)"),
            &mut conn,
        )
        .context("take the migration lock")?;
        let applied: anyhow::Result<Vec<String>> = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| anyhow::anyhow!(e));
        diesel::RunQueryDsl::execute(
            diesel::sql_query("SELECT pg_advisory_unlock(7061726)"),
            &mut conn,
        )
        .context("release the migration lock")?;
        for version in applied.context("apply migrations")? {
            tracing::info!(%version, "migration applied");
        }
        Ok(())
    })
    .await
    .context("migration task")?
}

/// The versions of the embedded migrations the database has not applied yet.
pub async fn pending_migrations(url: &str) -> anyhow::Result<Vec<String>> {
    let options = PgConnectOptions::parse(url).context("DATABASE_URL")?;
    let conn = options
        .establish()
        .await
        .context("connect to check the migrations")?;
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
        let pending = conn
            .pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!(e))
            .context("read the applied migrations")?;
        Ok(pending
            .iter()
            .map(|m| m.name().version().to_string())
            .collect())
    })
    .await
    .context("migration check task")?
}

/// Readiness check of PostgreSQL.
pub struct PgProbe {
    pool: PgPool,
}

impl PgProbe {
    /// Probes through `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl DependencyProbe for PgProbe {
    fn name(&self) -> &'static str {
        "postgres"
    }

    async fn check(&self) -> Result<(), StoreError> {
        let ping = async {
            let mut conn = self.pool.get().await.map_err(crate::error::pool)?;
            diesel::sql_query("SELECT 1")
                .execute(&mut conn)
                .await
                .map_err(|e| StoreError::unavailable(anyhow::Error::new(e)))?;
            Ok(())
        };
        tokio::time::timeout(Duration::from_secs(3), ping)
            .await
            .unwrap_or_else(|_| Err(StoreError::unavailable(anyhow::anyhow!("ping timed out"))))
    }
}

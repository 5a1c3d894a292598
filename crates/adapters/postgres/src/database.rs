//! The connection pool, database creation, migrations and readiness.

use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use deadpool::Runtime;
use diesel::Connection;
use diesel::sql_types::Text;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use sakura_application::StoreError;
use sakura_application::ports::DependencyProbe;

/// The migrations in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../../migrations");

/// A pool of PostgreSQL connections.
pub type PgPool = Pool<AsyncPgConnection>;

/// Builds a pool of at most `size` connections. It connects lazily; a request that cannot get a
/// connection within a few seconds fails with `Unavailable` instead of hanging.
pub fn connect(url: &str, size: usize) -> anyhow::Result<PgPool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Pool::builder(manager)
        .max_size(size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(3)))
        .recycle_timeout(Some(Duration::from_secs(2)))
        .build()
        .context("build the PostgreSQL pool")
}

/// Splits `postgres://.../name?opts` into the URL of the server's `postgres` database and `name`.
fn maintenance_url(url: &str) -> anyhow::Result<(String, String)> {
    let (base, rest) = url
        .rsplit_once('/')
        .context("DATABASE_URL has no database name")?;
    let (name, query) = match rest.split_once('?') {
        Some((name, query)) => (name, format!("?{query}")),
        None => (rest, String::new()),
    };
    anyhow::ensure!(
        !name.is_empty() && !base.ends_with('/'),
        "DATABASE_URL has no database name"
    );
    Ok((format!("{base}/postgres{query}"), name.to_owned()))
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

/// Creates the database named in `url` if it does not exist yet.
pub async fn ensure_database(url: &str) -> anyhow::Result<()> {
    let (maintenance, name) = maintenance_url(url)?;
    let mut conn = AsyncPgConnection::establish(&maintenance)
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
    let url = url.to_owned();
    // The wrapper block_on()s internally, so it runs on the blocking pool.
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as Connection>::establish(&url)
            .context("connect to run migrations")?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_maintenance_url_keeps_server_and_options() -> anyhow::Result<()> {
        let (url, name) = maintenance_url("postgres://u:p@h:5432/sakura?sslmode=disable")?;
        assert_eq!(url, "postgres://u:p@h:5432/postgres?sslmode=disable");
        assert_eq!(name, "sakura");
        assert!(maintenance_url("postgres://h:5432/").is_err());
        Ok(())
    }
}

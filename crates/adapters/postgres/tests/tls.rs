//! TLS to the machine's PostgreSQL (which has `ssl = on`): what each `sslmode` encrypts and
//! checks, through the pool, database creation and migrations.

use anyhow::Context;
use diesel_async::RunQueryDsl;
use sakura_postgres::{PgConnectOptions, connect, ensure_database, run_migrations};
use sakura_test_services::{TestCertificates, TestDatabase, postgres_server_certificate};
use uuid::Uuid;

#[derive(diesel::QueryableByName)]
struct Encrypted {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    ssl: bool,
}

/// `url` with `params` added to its query.
fn with_params(url: &str, params: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{params}")
}

/// `url` with its host replaced (`postgres://user@HOST:port/...`).
fn with_host(url: &str, host: &str) -> anyhow::Result<String> {
    let (scheme, rest) = url.split_once("://").context("a URL")?;
    let (user, rest) = match rest.split_once('@') {
        Some((user, rest)) => (format!("{user}@"), rest),
        None => (String::new(), rest),
    };
    let end = rest.find([':', '/']).context("a host")?;
    Ok(format!("{scheme}://{user}{host}{}", &rest[end..]))
}

/// Whether a connection from a pool on `url` is encrypted, as the server sees it.
async fn pooled_connection_is_encrypted(url: &str) -> anyhow::Result<bool> {
    let pool = connect(url, 1)?;
    let mut conn = pool.get().await.context("a pooled connection")?;
    let row: Encrypted =
        diesel::sql_query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .get_result(&mut conn)
            .await?;
    Ok(row.ssl)
}

/// The message of a failed connection on `url`.
async fn connection_error(url: &str) -> anyhow::Result<String> {
    match PgConnectOptions::parse(url)?.establish().await {
        Ok(_) => anyhow::bail!("connected, but should have been refused"),
        Err(error) => Ok(error.to_string()),
    }
}

#[tokio::test]
async fn require_encrypts_every_pooled_connection() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    assert!(pooled_connection_is_encrypted(&with_params(db.url(), "sslmode=require")).await?);
    Ok(())
}

#[tokio::test]
async fn disable_stays_plain_and_prefer_encrypts_by_default() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    assert!(!pooled_connection_is_encrypted(&with_params(db.url(), "sslmode=disable")).await?);
    assert!(pooled_connection_is_encrypted(&with_params(db.url(), "sslmode=prefer")).await?);
    // `allow` tries plain text first, which this server accepts.
    assert!(!pooled_connection_is_encrypted(&with_params(db.url(), "sslmode=allow")).await?);
    Ok(())
}

#[tokio::test]
async fn verify_ca_trusts_the_root_it_is_given_whatever_the_host_name() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let root = postgres_server_certificate().await;
    let url = with_host(db.url(), "127.0.0.1")?;
    let params = format!("sslmode=verify-ca&sslrootcert={}", root.display());
    assert!(pooled_connection_is_encrypted(&with_params(&url, &params)).await?);
    Ok(())
}

#[tokio::test]
async fn verify_ca_refuses_a_certificate_of_another_ca() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    let other = TestCertificates::generate();
    let params = format!(
        "sslmode=verify-ca&sslrootcert={}",
        other.ca_cert().display()
    );
    let error = connection_error(&with_params(db.url(), &params)).await?;
    assert!(error.contains("TLS handshake"), "{error}");
    assert!(error.contains("UnknownIssuer"), "{error}");
    // libpq: `require` with a root certificate checks the chain too.
    let params = format!("sslmode=require&sslrootcert={}", other.ca_cert().display());
    let error = connection_error(&with_params(db.url(), &params)).await?;
    assert!(error.contains("UnknownIssuer"), "{error}");
    Ok(())
}

#[tokio::test]
async fn verify_full_checks_the_host_name_too() -> anyhow::Result<()> {
    let db = TestDatabase::new(run_migrations).await;
    // Debian's snakeoil certificate names `localhost`, not the address.
    let root = postgres_server_certificate().await;
    let params = format!("sslmode=verify-full&sslrootcert={}", root.display());
    let by_address = with_params(&with_host(db.url(), "127.0.0.1")?, &params);
    let error = connection_error(&by_address).await?;
    assert!(error.contains("not valid for name"), "{error}");
    let by_name = with_params(&with_host(db.url(), "localhost")?, &params);
    assert!(pooled_connection_is_encrypted(&by_name).await?);
    Ok(())
}

#[tokio::test]
async fn database_creation_and_migrations_connect_with_tls() -> anyhow::Result<()> {
    let name = format!("sakura_tls_{}", Uuid::new_v4().simple());
    let base = TestDatabase::new(run_migrations).await;
    let (server, _) = base.url().rsplit_once('/').context("a database name")?;
    let url = format!("{server}/{name}?sslmode=require");
    let result = async {
        ensure_database(&url).await?;
        run_migrations(&url).await?;
        anyhow::ensure!(pooled_connection_is_encrypted(&url).await?);
        let pool = connect(&url, 1)?;
        let mut conn = pool.get().await?;
        diesel::sql_query("SELECT 1 FROM users LIMIT 1")
            .execute(&mut conn)
            .await
            .context("the migrated users table")?;
        Ok(())
    }
    .await;
    sakura_test_services::drop_database(&name).await;
    result
}

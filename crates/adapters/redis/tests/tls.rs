//! `rediss://`: Redis over TLS, against a redis-server of the test's own that speaks only TLS.

use sakura_application::ports::DependencyProbe;
use sakura_redis::{RedisConfig, RedisProbe, connect};
use sakura_test_services::{TestCertificates, TlsRedisServer};

fn config(url: String, ca_cert: Option<std::path::PathBuf>) -> RedisConfig {
    RedisConfig {
        url,
        ca_cert,
        key_prefix: "test:tls:".to_owned(),
        pool_size: 2,
    }
}

/// The probe's answer on a pool built from `config`, as text (`ok` or the error chain).
async fn ping(config: &RedisConfig) -> anyhow::Result<String> {
    let probe = RedisProbe::new(connect(config)?);
    Ok(match probe.check().await {
        Ok(()) => "ok".to_owned(),
        Err(error) => format!("{:#}", anyhow::Error::new(error)),
    })
}

#[tokio::test]
async fn a_rediss_url_pings_when_its_ca_is_trusted() -> anyhow::Result<()> {
    let server = TlsRedisServer::start();
    assert_eq!(
        ping(&config(server.url(), Some(server.ca_cert()))).await?,
        "ok"
    );
    Ok(())
}

#[tokio::test]
async fn insecure_skips_the_certificate_check() -> anyhow::Result<()> {
    let server = TlsRedisServer::start();
    let url = format!("{}/#insecure", server.url());
    assert_eq!(ping(&config(url, None)).await?, "ok");
    Ok(())
}

#[tokio::test]
async fn a_certificate_of_an_untrusted_ca_is_refused() -> anyhow::Result<()> {
    let server = TlsRedisServer::start();
    // Neither the system's roots nor another CA signed the test server's certificate.
    let system = ping(&config(server.url(), None)).await?;
    assert!(system.contains("UnknownIssuer"), "{system}");
    let other = TestCertificates::generate();
    let error = ping(&config(server.url(), Some(other.ca_cert()))).await?;
    assert!(error.contains("UnknownIssuer"), "{error}");
    Ok(())
}

#[tokio::test]
async fn plain_text_to_the_tls_port_fails() -> anyhow::Result<()> {
    let server = TlsRedisServer::start();
    let error = ping(&config(server.plain_url(), None)).await?;
    assert_ne!(error, "ok");
    assert!(
        error.contains("get a Redis connection") || error.contains("ping"),
        "{error}"
    );
    Ok(())
}

#[test]
fn a_ca_file_needs_a_tls_url_and_a_certificate() {
    let certificates = TestCertificates::generate();
    let error = connect(&config(
        "redis://127.0.0.1:6379".to_owned(),
        Some(certificates.ca_cert()),
    ))
    .unwrap_err();
    assert!(format!("{error:#}").contains("rediss://"), "{error:#}");
    let error = connect(&config(
        "rediss://127.0.0.1:6379".to_owned(),
        Some(certificates.server_key()),
    ))
    .unwrap_err();
    assert!(
        format!("{error:#}").contains("no PEM certificate"),
        "{error:#}"
    );
}

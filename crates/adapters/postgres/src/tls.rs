//! Connecting to PostgreSQL as `DATABASE_URL` says, with TLS (rustls) when its `sslmode` asks.
//!
//! tokio-postgres knows only `disable`, `prefer` and `require`, and never checks a certificate
//! by itself: [`PgConnectOptions::parse`] takes `sslmode` and `sslrootcert` out of the URL, hands
//! tokio-postgres the rest (so every other option is checked at start too), and builds the rustls
//! configuration that does what libpq's mode of the same name does:
//!
//! | `sslmode`     | encrypted                      | certificate checked                   |
//! |---------------|--------------------------------|---------------------------------------|
//! | `disable`     | never                          | –                                     |
//! | `allow`       | only if plain is refused       | no                                    |
//! | `prefer`      | if the server offers it (default) | no                                 |
//! | `require`     | always                         | no (the chain, if `sslrootcert` is set) |
//! | `verify-ca`   | always                         | chain to a trusted root               |
//! | `verify-full` | always                         | chain, and the host name              |
//!
//! The trusted roots are the PEM file `sslrootcert` names, or the system's (`sslrootcert=system`
//! or none given).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use diesel::ConnectionError;
use diesel_async::AsyncPgConnection;
use percent_encoding::percent_decode_str;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_cert_signed_by_trust_anchor};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms, aws_lc_rs};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use thiserror::Error;
use tokio_postgres::NoTls;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`: whether the connection is encrypted and what is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain text only.
    Disable,
    /// Plain text; TLS only if the server refuses plain text. No certificate check.
    Allow,
    /// TLS if the server offers it, else plain text. No certificate check. The default.
    Prefer,
    /// TLS or no connection. No certificate check unless `sslrootcert` is set (then as
    /// `VerifyCa`, like libpq).
    Require,
    /// TLS, with a certificate chain to a trusted root; any host name.
    VerifyCa,
    /// TLS, with a certificate chain to a trusted root, for the host connected to.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<Self, PgUrlError> {
        Ok(match value {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            other => return Err(PgUrlError::SslMode(other.to_owned())),
        })
    }
}

/// Why a `DATABASE_URL` cannot be used. Messages never include the URL (it holds the password).
#[derive(Debug, Error)]
pub enum PgUrlError {
    /// `sslmode` is not one of libpq's.
    #[error("sslmode={0:?} is not one of disable, allow, prefer, require, verify-ca, verify-full")]
    SslMode(String),
    /// `sslrootcert` could not be read.
    #[error("sslrootcert {path:?} cannot be read: {source}")]
    RootCertUnreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `sslrootcert` holds no usable certificate.
    #[error("sslrootcert {path:?} holds no usable PEM certificate{detail}")]
    RootCertInvalid {
        /// The file.
        path: PathBuf,
        /// What rustls said, if anything (starts with `: `).
        detail: String,
    },
    /// The system's roots were asked for and none could be loaded.
    #[error("no system root certificates could be loaded to verify PostgreSQL's certificate{0}")]
    NoSystemRoots(String),
    /// Client certificates are not supported (yet).
    #[error("{0} (a client certificate) is not supported")]
    ClientCertificate(String),
    /// tokio-postgres refused the rest of the URL.
    #[error("{0}")]
    Invalid(String),
    /// No database name.
    #[error("DATABASE_URL has no database name")]
    NoDatabase,
}

/// A parsed `DATABASE_URL`: tokio-postgres' settings and the TLS connector `sslmode` asks for.
#[derive(Clone)]
pub struct PgConnectOptions {
    config: tokio_postgres::Config,
    mode: SslMode,
    /// `None` for `disable`.
    tls: Option<MakeRustlsConnect>,
}

impl fmt::Debug for PgConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // tokio-postgres' Config redacts the password itself.
        f.debug_struct("PgConnectOptions")
            .field("config", &self.config)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

/// What to trust, from `sslrootcert`.
enum Roots {
    /// Any certificate (the handshake's signatures are still checked).
    None,
    /// Certificates chaining to these roots.
    Store(Arc<RootCertStore>),
}

impl PgConnectOptions {
    /// Parses `url` (`postgres://user:password@host:port/db?sslmode=..&sslrootcert=..`), reading
    /// the `sslrootcert` file now, so a bad setting stops the process at start.
    pub fn parse(url: &str) -> Result<Self, PgUrlError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut mode = SslMode::Prefer;
        let mut root_cert: Option<String> = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = percent_decode_str(value).decode_utf8_lossy().into_owned();
            match key {
                "sslmode" => mode = SslMode::parse(&decoded)?,
                "sslrootcert" => root_cert = Some(decoded),
                "sslcert" | "sslkey" | "sslpassword" => {
                    return Err(PgUrlError::ClientCertificate(key.to_owned()));
                }
                _ => kept.push(pair),
            }
        }
        // tokio-postgres gets the closest mode it knows; rustls does the checking.
        kept.push(match mode {
            SslMode::Disable | SslMode::Allow => "sslmode=disable",
            SslMode::Prefer => "sslmode=prefer",
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => "sslmode=require",
        });
        let translated = format!("{base}?{}", kept.join("&"));
        let config: tokio_postgres::Config = translated
            .parse()
            .map_err(|e| PgUrlError::Invalid(error_chain(&e)))?;
        if config.get_dbname().is_none_or(str::is_empty) {
            return Err(PgUrlError::NoDatabase);
        }
        let tls = match mode {
            SslMode::Disable => None,
            _ => Some(MakeRustlsConnect::new(client_config(
                mode,
                root_cert.as_deref(),
            )?)),
        };
        Ok(Self { config, mode, tls })
    }

    /// The `sslmode` in force.
    pub fn ssl_mode(&self) -> SslMode {
        self.mode
    }

    /// The database's name.
    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// The same server and settings, another database.
    pub fn with_database(&self, name: &str) -> Self {
        let mut other = self.clone();
        other.config.dbname(name);
        other
    }

    /// Opens one connection.
    pub async fn establish(&self) -> Result<AsyncPgConnection, ConnectionError> {
        match (&self.tls, self.mode) {
            (Some(tls), SslMode::Allow) => match self.plain().await {
                Ok(conn) => Ok(conn),
                Err(_) => {
                    let mut config = self.config.clone();
                    config.ssl_mode(tokio_postgres::config::SslMode::Require);
                    let (client, connection) = config
                        .connect(tls.clone())
                        .await
                        .map_err(|e| bad_connection(&e))?;
                    AsyncPgConnection::try_from_client_and_connection(client, connection).await
                }
            },
            (Some(tls), _) => {
                let (client, connection) = self
                    .config
                    .connect(tls.clone())
                    .await
                    .map_err(|e| bad_connection(&e))?;
                AsyncPgConnection::try_from_client_and_connection(client, connection).await
            }
            (None, _) => self.plain().await,
        }
    }

    async fn plain(&self) -> Result<AsyncPgConnection, ConnectionError> {
        let (client, connection) = self
            .config
            .connect(NoTls)
            .await
            .map_err(|e| bad_connection(&e))?;
        AsyncPgConnection::try_from_client_and_connection(client, connection).await
    }
}

/// tokio-postgres' errors print only their kind ("error performing TLS handshake"); the cause
/// (which certificate check failed) is what an operator needs.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

fn bad_connection(error: &tokio_postgres::Error) -> ConnectionError {
    ConnectionError::BadConnection(error_chain(error))
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(aws_lc_rs::default_provider())
}

fn roots(mode: SslMode, root_cert: Option<&str>) -> Result<Roots, PgUrlError> {
    match (mode, root_cert) {
        // libpq: `require` with a root certificate checks the chain, like `verify-ca`.
        (SslMode::Allow | SslMode::Prefer | SslMode::Disable, _) | (SslMode::Require, None) => {
            Ok(Roots::None)
        }
        (_, None | Some("system")) => system_roots().map(|r| Roots::Store(Arc::new(r))),
        (_, Some(path)) => {
            file_roots(std::path::Path::new(path)).map(|r| Roots::Store(Arc::new(r)))
        }
    }
}

fn file_roots(path: &std::path::Path) -> Result<RootCertStore, PgUrlError> {
    let pem = std::fs::read(path).map_err(|source| PgUrlError::RootCertUnreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let invalid = |detail: String| PgUrlError::RootCertInvalid {
        path: path.to_path_buf(),
        detail,
    };
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| invalid(format!(": {e}")))?;
        store.add(cert).map_err(|e| invalid(format!(": {e}")))?;
    }
    if store.is_empty() {
        return Err(invalid(String::new()));
    }
    Ok(store)
}

fn system_roots() -> Result<RootCertStore, PgUrlError> {
    let found = rustls_native_certs::load_native_certs();
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found
            .errors
            .first()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        return Err(PgUrlError::NoSystemRoots(why));
    }
    Ok(store)
}

fn client_config(mode: SslMode, root_cert: Option<&str>) -> Result<ClientConfig, PgUrlError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| PgUrlError::Invalid(e.to_string()))?;
    let supported = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = match roots(mode, root_cert)? {
        Roots::None => Arc::new(NoHostName {
            roots: None,
            supported,
        }),
        Roots::Store(roots) if mode == SslMode::VerifyFull => {
            WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .map_err(|e| PgUrlError::Invalid(e.to_string()))?
        }
        Roots::Store(roots) => Arc::new(NoHostName {
            roots: Some(roots),
            supported,
        }),
    };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// The certificate check of every mode but `verify-full`, which never looks at host names.
/// `roots: None` (`prefer`, `allow`, `require`) trusts any certificate, as libpq does;
/// `Some` (`verify-ca`, `require` with `sslrootcert`) wants it to chain to one of the roots and
/// be valid now. Either way the handshake signatures are checked, so the server must hold the
/// key of the certificate it shows.
#[derive(Debug)]
struct NoHostName {
    roots: Option<Arc<RootCertStore>>,
    supported: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for NoHostName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            let cert = ParsedCertificate::try_from(end_entity)?;
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                roots,
                intermediates,
                now,
                self.supported.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.supported)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.supported)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.supported.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_is_read_and_translated_for_tokio_postgres() -> anyhow::Result<()> {
        for (query, mode, expected) in [
            ("", SslMode::Prefer, tokio_postgres::config::SslMode::Prefer),
            (
                "?sslmode=disable",
                SslMode::Disable,
                tokio_postgres::config::SslMode::Disable,
            ),
            (
                "?sslmode=allow",
                SslMode::Allow,
                tokio_postgres::config::SslMode::Disable,
            ),
            (
                "?sslmode=require",
                SslMode::Require,
                tokio_postgres::config::SslMode::Require,
            ),
            (
                "?sslmode=verify-ca",
                SslMode::VerifyCa,
                tokio_postgres::config::SslMode::Require,
            ),
            (
                "?application_name=x&sslmode=verify-full",
                SslMode::VerifyFull,
                tokio_postgres::config::SslMode::Require,
            ),
        ] {
            let options = PgConnectOptions::parse(&format!("postgres://u:p@h:5432/sakura{query}"))?;
            assert_eq!(options.ssl_mode(), mode, "{query}");
            assert_eq!(options.config.get_ssl_mode(), expected, "{query}");
            assert_eq!(options.database(), "sakura");
            assert_eq!(options.with_database("postgres").database(), "postgres");
        }
        Ok(())
    }

    #[test]
    fn bad_tls_settings_are_refused_before_any_connection() {
        let error = PgConnectOptions::parse("postgres://h/db?sslmode=verify").unwrap_err();
        assert!(error.to_string().contains("sslmode=\"verify\""), "{error}");
        let error = PgConnectOptions::parse(
            "postgres://h/db?sslmode=verify-ca&sslrootcert=%2Fnowhere%2Froot.crt",
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("\"/nowhere/root.crt\" cannot be read"),
            "{error}"
        );
        let error = PgConnectOptions::parse("postgres://h/db?sslcert=/c.pem").unwrap_err();
        assert!(error.to_string().contains("sslcert"), "{error}");
        let error = PgConnectOptions::parse("postgres://h/db?colour=blue").unwrap_err();
        assert!(
            error.to_string().contains("unknown option `colour`"),
            "{error}"
        );
        assert!(matches!(
            PgConnectOptions::parse("postgres://h:5432/"),
            Err(PgUrlError::NoDatabase)
        ));
    }

    #[test]
    fn a_root_file_without_certificates_is_refused() -> anyhow::Result<()> {
        let path = std::env::temp_dir().join(format!("sakura-empty-{}.pem", std::process::id()));
        std::fs::write(&path, "not a certificate\n")?;
        let url = format!(
            "postgres://h/db?sslmode=verify-full&sslrootcert={}",
            path.display()
        );
        let error = PgConnectOptions::parse(&url).unwrap_err();
        std::fs::remove_file(&path)?;
        assert!(
            error.to_string().contains("no usable PEM certificate"),
            "{error}"
        );
        Ok(())
    }

    #[test]
    fn debug_output_hides_the_password() -> anyhow::Result<()> {
        let options = PgConnectOptions::parse("postgres://u:hunter2secret@h/db")?;
        assert!(!format!("{options:?}").contains("hunter2secret"));
        Ok(())
    }
}

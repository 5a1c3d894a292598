//! TLS for tests: a throwaway CA, a redis-server that speaks only TLS, PostgreSQL's certificate.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use uuid::Uuid;

/// A CA of this test's own and a server certificate it signed for `localhost` and `127.0.0.1`,
/// written as PEM files to a temporary directory removed on drop.
pub struct TestCertificates {
    dir: PathBuf,
}

impl TestCertificates {
    /// Generates and writes them.
    pub fn generate() -> Self {
        let id = Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("sakura-tls-{id}"));
        std::fs::create_dir_all(&dir).expect("create the certificates' directory");
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        // A name of its own: a certificate of another test's CA is then of an unknown issuer.
        ca.distinguished_name
            .push(DnType::CommonName, format!("Sakura test CA {id}"));
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca, ca_key);
        let server_key = KeyPair::generate().expect("server key");
        let server = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("server parameters");
        let server_cert = server
            .signed_by(&server_key, &issuer)
            .expect("server certificate");
        std::fs::write(dir.join("ca.crt"), ca_cert.pem()).expect("write ca.crt");
        std::fs::write(dir.join("server.crt"), server_cert.pem()).expect("write server.crt");
        std::fs::write(dir.join("server.key"), server_key.serialize_pem())
            .expect("write server.key");
        Self { dir }
    }

    /// The CA's certificate (PEM).
    pub fn ca_cert(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    /// The server's certificate (PEM), for `localhost` and `127.0.0.1`.
    pub fn server_cert(&self) -> PathBuf {
        self.dir.join("server.crt")
    }

    /// The server's private key (PEM).
    pub fn server_key(&self) -> PathBuf {
        self.dir.join("server.key")
    }
}

impl Drop for TestCertificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// How long a redis-server of our own gets to start listening.
const STARTUP: Duration = Duration::from_secs(10);

/// A redis-server of this test's own on 127.0.0.1, listening only with TLS (no plain port), with
/// a certificate from [`TestCertificates`]; killed on drop.
pub struct TlsRedisServer {
    child: Child,
    port: u16,
    certificates: TestCertificates,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl TlsRedisServer {
    /// Starts it and waits until its port accepts connections.
    pub fn start() -> Self {
        let certificates = TestCertificates::generate();
        let port = free_port();
        let path = |p: PathBuf| p.to_string_lossy().into_owned();
        let child = Command::new("redis-server")
            .args(["--port", "0", "--tls-port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--tls-cert-file", &path(certificates.server_cert())])
            .args(["--tls-key-file", &path(certificates.server_key())])
            .args(["--tls-ca-cert-file", &path(certificates.ca_cert())])
            .args(["--tls-auth-clients", "no"])
            .args(["--save", "", "--appendonly", "no"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server (is it installed, built with TLS?)");
        let mut server = Self {
            child,
            port,
            certificates,
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("redis-server --tls-port {port} exited ({status}) before listening");
            }
            assert!(
                started.elapsed() < STARTUP,
                "redis-server --tls-port {port} did not listen within {STARTUP:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// `rediss://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("rediss://127.0.0.1:{}", self.port)
    }

    /// `redis://127.0.0.1:<port>`: plain text to the TLS port, which must fail.
    pub fn plain_url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// The CA that signed its certificate.
    pub fn ca_cert(&self) -> PathBuf {
        self.certificates.ca_cert()
    }
}

impl Drop for TlsRedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The certificate file of the PostgreSQL at `DATABASE_URL` (`SHOW ssl_cert_file`), after
/// checking it has `ssl = on`; panics with what to do otherwise. On Debian it is the self-signed
/// "snakeoil" certificate for `localhost`.
pub async fn postgres_server_certificate() -> PathBuf {
    let url = crate::database::with_database(&crate::database_url(), "postgres");
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is not reachable at {url}: {e}"));
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let ssl: String = client
        .query_one("SHOW ssl", &[])
        .await
        .expect("SHOW ssl")
        .get(0);
    assert_eq!(
        ssl, "on",
        "the PostgreSQL at {url} has ssl = off; the TLS tests need ssl = on \
         (Debian's packages turn it on with the snakeoil certificate)"
    );
    let file: String = client
        .query_one("SHOW ssl_cert_file", &[])
        .await
        .expect("SHOW ssl_cert_file")
        .get(0);
    let path = PathBuf::from(file);
    assert!(
        Path::new(&path).is_file() && std::fs::read(&path).is_ok(),
        "PostgreSQL's certificate {} is not readable here",
        path.display()
    );
    path
}

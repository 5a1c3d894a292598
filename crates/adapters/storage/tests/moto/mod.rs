//! A real S3-compatible server for the tests: moto (`pip install 'moto[server]'`), started as a
//! child process on a free port, one per test, and killed when dropped.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sakura_storage::S3Config;
use tempfile::NamedTempFile;
use uuid::Uuid;

/// How moto is installed, for every message that says it is not.
const INSTALL: &str = "pip install 'moto[server]' (the S3 adapter's tests run against a real \
                       S3-compatible server; .ci/run installs it)";

/// How long moto may take to answer after it starts (it imports a lot of Python).
const STARTUP: Duration = Duration::from_secs(30);

/// A running moto server with one empty bucket.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// The bucket made for this server.
    pub bucket: String,
    /// Where moto's output goes, shown if it fails.
    log: NamedTempFile,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts moto and creates a bucket; fails, saying how to install moto, if it is missing.
    pub async fn start() -> anyhow::Result<Self> {
        ensure_installed()?;
        // A port found free can be taken before moto binds it: try a few.
        let mut last_error = None;
        for _ in 0..3 {
            match Self::start_on(free_port()?).await {
                Ok(moto) => return Ok(moto),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow::anyhow!("moto did not start")))
    }

    async fn start_on(port: u16) -> anyhow::Result<Self> {
        let log = NamedTempFile::new().context("create moto's log file")?;
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.reopen()?))
            .stderr(Stdio::from(log.reopen()?))
            .spawn()
            .with_context(|| format!("start `python3 -m moto.server`; install it: {INSTALL}"))?;
        let mut moto = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: format!("sakura-{}", Uuid::new_v4().simple()),
            log,
        };
        moto.wait_until_it_answers().await?;
        let http = reqwest::Client::new();
        let created = http
            .put(format!("{}/{}", moto.endpoint, moto.bucket))
            .send()
            .await
            .context("create the test bucket on moto")?;
        if !created.status().is_success() {
            let status = created.status();
            bail!(
                "moto refused to create the bucket: {status}: {}",
                created.text().await?
            );
        }
        Ok(moto)
    }

    async fn wait_until_it_answers(&mut self) -> anyhow::Result<()> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("moto exited ({status}) before answering:\n{}", self.log());
            }
            if http.get(&self.endpoint).send().await.is_ok() {
                return Ok(());
            }
            if started.elapsed() > STARTUP {
                bail!("moto did not answer within {STARTUP:?}:\n{}", self.log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// A config for this server's bucket, with the dummy credentials moto accepts.
    pub fn config(&self) -> S3Config {
        S3Config {
            endpoint: Some(self.endpoint.clone()),
            bucket: self.bucket.clone(),
            region: "us-east-1".to_owned(),
            access_key_id: "sakura-test".to_owned(),
            secret_access_key: "sakura-test-secret".to_owned(),
            allow_http: true,
        }
    }
}

/// Fails with the install command unless `python3 -m moto.server` can run.
fn ensure_installed() -> anyhow::Result<()> {
    let probe = Command::new("python3")
        .args(["-c", "import moto.server"])
        .stdin(Stdio::null())
        .output();
    match probe {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => bail!(
            "moto is not installed for python3 ({}): {INSTALL}",
            String::from_utf8_lossy(&output.stderr)
                .trim()
                .lines()
                .last()
                .unwrap_or("")
        ),
        Err(error) => bail!("python3 is not on PATH ({error}); install Python 3, then {INSTALL}"),
    }
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("find a free port")?;
    Ok(listener.local_addr()?.port())
}

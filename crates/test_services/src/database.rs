//! A fresh PostgreSQL database per test.

use std::fmt::Display;
use std::path::Path;

use tokio_postgres::{Client, NoTls};
use uuid::Uuid;

/// A database of its own for one test, with every migration applied; dropped on drop.
pub struct TestDatabase {
    name: String,
    url: String,
    admin_url: String,
}

/// `postgres://.../name?x` with the database name replaced.
pub(crate) fn with_database(url: &str, name: &str) -> String {
    let (base, rest) = url
        .rsplit_once('/')
        .expect("DATABASE_URL has a database name");
    let query = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{base}/{name}{query}")
}

/// FNV-1a over the names and contents of the workspace's `migrations/`: a new or edited
/// migration means a new template. Read at run time, so a migration added since the last build
/// is noticed too.
fn migrations_fingerprint() -> u64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("read migrations/") {
            let path = entry.expect("migration entry").path();
            if path.is_dir() {
                stack.push(path)
            } else {
                files.push(path)
            }
        }
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let name = file
            .strip_prefix(&dir)
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        for byte in name
            .bytes()
            .chain(std::fs::read(&file).expect("read migration"))
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

async fn admin(admin_url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(admin_url, NoTls).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is not reachable at {admin_url}: {e}.\n\
             Start it with `just services`, or `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
             or point DATABASE_URL at a running server."
        )
    });
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

async fn ensure_template<M, E>(client: &Client, base_url: &str, migrate: M) -> String
where
    M: AsyncFnOnce(&str) -> Result<(), E>,
    E: Display,
{
    let template = format!("sakura_tpl_{:016x}", migrations_fingerprint());
    // Tests run in parallel processes: one builds the template, the others wait for it.
    client
        .execute("SELECT pg_advisory_lock(7061727)", &[])
        .await
        .expect("template lock");
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&template])
        .await
        .expect("look for the template")
        .is_some();
    if !exists {
        // Built under another name and renamed when complete, so a crash never leaves a
        // half-migrated template behind.
        let building = format!("{template}_building");
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .await
            .expect("drop stale build");
        client
            .batch_execute(&format!("CREATE DATABASE {building}"))
            .await
            .expect("create template");
        if let Err(e) = migrate(&with_database(base_url, &building)).await {
            panic!("migrate the template database {building}: {e:#}");
        }
        client
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}"))
            .await
            .expect("finish the template");
    }
    client
        .execute("SELECT pg_advisory_unlock(7061727)", &[])
        .await
        .expect("template unlock");
    template
}

impl TestDatabase {
    /// Creates this test's database, a copy of the template that `migrate` brought up to date.
    ///
    /// `migrate` gets the URL of an empty database and must apply the workspace's `migrations/`:
    /// pass the server's own runner, `TestDatabase::new(sakura_postgres::run_migrations)`, so the
    /// tests see exactly what production applies. It runs only when no template matches the
    /// current migrations (once per migration set across all test processes).
    pub async fn new<M, E>(migrate: M) -> Self
    where
        M: AsyncFnOnce(&str) -> Result<(), E>,
        E: Display,
    {
        let base_url = crate::database_url();
        let admin_url = with_database(&base_url, "postgres");
        let client = admin(&admin_url).await;
        let template = ensure_template(&client, &base_url, migrate).await;
        let name = format!("sakura_test_{}", Uuid::new_v4().simple());
        client
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
            .expect("create the test database");
        Self {
            url: with_database(&base_url, &name),
            name,
            admin_url,
        }
    }

    /// Its connection URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops it now, connections and all (to test what happens when PostgreSQL goes away).
    pub async fn drop_now(&self) {
        drop_database(&self.name).await;
    }
}

/// Drops the database `name` on the test server, closing its connections.
pub async fn drop_database(name: &str) {
    let client = admin(&with_database(&crate::database_url(), "postgres")).await;
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .expect("drop database");
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (name, admin_url) = (self.name.clone(), self.admin_url.clone());
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&admin_url, NoTls).await.ok()?;
                tokio::spawn(connection);
                client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}

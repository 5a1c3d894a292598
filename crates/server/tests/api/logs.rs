//! The released binary's JSON logs: every line a request causes carries its request id, also
//! lines logged inside a use case, an adapter, or on the blocking pool.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sakura_test_services::{TestDatabase, TestRedis};
use serde_json::{Value, json};

/// The request id a JSON line carries in any of its spans.
fn request_id(line: &Value) -> Option<&str> {
    line["spans"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(std::iter::once(&line["span"]))
        .find_map(|span| span["request_id"].as_str())
}

fn message(line: &Value) -> &str {
    line["fields"]["message"].as_str().unwrap_or_default()
}

struct Server {
    child: std::process::Child,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl Server {
    fn lines(&self) -> Vec<Value> {
        self.lines.lock().expect("lines").clone()
    }

    /// Waits until a line satisfies `found`.
    fn wait_for(&self, what: &str, found: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(line) = self.lines().into_iter().find(|l| found(l)) {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} line in {:#?}",
                self.lines()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn every_line_a_request_causes_carries_its_request_id() {
    let db = TestDatabase::new(sakura_postgres::run_migrations).await;
    let redis = TestRedis::new().await;
    let media = std::env::temp_dir().join(format!("sakura-test-media-{}", uuid::Uuid::new_v4()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_sakura-server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info,sakura_imaging=debug")
        .env("PORT", "0")
        .env("DATABASE_URL", db.url())
        .env("REDIS_URL", redis.url())
        .env("REDIS_KEY_PREFIX", redis.prefix())
        .env("BCRYPT_COST", "4")
        .env("JWT_SECRET", "y".repeat(40))
        .env("MEDIA_DIR", &media)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sakura-server");
    let stdout = child.stdout.take().expect("stdout");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let value = serde_json::from_str(&line).unwrap_or_else(|_| json!({"unparsable": line}));
            sink.lock().expect("lines").push(value);
        }
    });
    let server = Server { child, lines };
    let listening = server.wait_for("listening", |l| message(l) == "listening");
    assert!(
        server.lines().iter().all(|l| l.get("unparsable").is_none()),
        "every line is JSON: {:#?}",
        server.lines()
    );
    let address = listening["fields"]["address"].as_str().expect("an address");
    let base = format!("http://{address}");
    let client = reqwest::Client::new();

    let registered = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({
            "firstName": "Aiko", "lastName": "Tanaka",
            "email": "aiko@example.com", "password": "katana123",
        }))
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), 201);
    let register_id = registered.headers()["x-request-id"]
        .to_str()
        .expect("an id")
        .to_owned();
    let token = registered.json::<Value>().await.expect("json")["accessToken"]
        .as_str()
        .expect("a token")
        .to_owned();

    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(crate::photos_support::png(40, 30)).file_name("a.png"),
    );
    let uploaded = client
        .post(format!("{base}/api/v1/photos"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(uploaded.status(), 201);
    let upload_id = uploaded.headers()["x-request-id"]
        .to_str()
        .expect("an id")
        .to_owned();

    // Inside the use case.
    let line = server.wait_for("user registered", |l| message(l) == "user registered");
    assert_eq!(request_id(&line), Some(register_id.as_str()), "{line}");
    // Inside the imaging adapter, on the blocking pool.
    let line = server.wait_for("image processed", |l| {
        l["target"]
            .as_str()
            .is_some_and(|t| t.starts_with("sakura_imaging"))
    });
    assert_eq!(request_id(&line), Some(upload_id.as_str()), "{line}");
    let line = server.wait_for("photo uploaded", |l| message(l) == "photo uploaded");
    assert_eq!(request_id(&line), Some(upload_id.as_str()), "{line}");
    // The access lines too.
    for id in [&register_id, &upload_id] {
        server.wait_for("access", |l| {
            message(l) == "request" && request_id(l) == Some(id)
        });
    }
}

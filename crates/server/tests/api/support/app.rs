//! The real server on port 0, with a database and a Redis prefix of its own.

use std::collections::HashMap;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sakura_server::{Application, Config};
use sakura_test_services::{TestDatabase, TestRedis};
use serde_json::{Value, json};
use uuid::Uuid;

use super::ws::{WsClient, WsConnectError};

/// A running server with its own database and Redis prefix.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The port it listens on.
    pub port: u16,
    /// The metrics listener's port, when the test set `METRICS_ADDR`.
    pub metrics_port: Option<u16>,
    /// A client without a cookie store (tests set cookies by hand).
    pub client: reqwest::Client,
    /// Its database.
    pub db: TestDatabase,
    /// Its Redis prefix.
    pub redis: TestRedis,
    /// Its own media directory (the local blob store), removed when the app is dropped.
    pub media_dir: std::path::PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.media_dir);
    }
}

/// A user registered through the API.
#[derive(Debug, Clone)]
pub struct RegisteredUser {
    /// Their id.
    pub id: String,
    /// Their email.
    pub email: String,
    /// Their password.
    pub password: String,
    /// The access token from registration.
    pub access_token: String,
    /// The refresh token from registration.
    pub refresh_token: String,
}

/// Starts the server with test defaults.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the server with test defaults overridden by `overrides` (environment-style).
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    if std::env::var("TEST_LOG").is_ok_and(|v| !v.is_empty() && v != "0") {
        sakura_server::telemetry::init(sakura_server::config::LogFormat::Pretty);
    }
    // The server's own runner builds the template, so the tests see what production applies.
    let db = TestDatabase::new(sakura_postgres::run_migrations).await;
    let redis = TestRedis::new().await;
    let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let media_dir =
        std::env::temp_dir().join(format!("sakura-test-media-{}", Uuid::new_v4().simple()));
    let media = media_dir.to_string_lossy().into_owned();
    let mut vars: HashMap<String, String> = [
        ("PORT", "0"),
        ("DATABASE_URL", db.url()),
        ("DATABASE_POOL_SIZE", "4"),
        ("REDIS_URL", redis.url()),
        ("REDIS_KEY_PREFIX", redis.prefix()),
        ("BCRYPT_COST", "4"),
        ("JWT_SECRET", &secret),
        ("SHUTDOWN_TIMEOUT", "1s"),
        ("MEDIA_DIR", &media),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (k, v) in overrides {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    let config = Config::from_lookup(|name| vars.get(name).cloned()).expect("test configuration");
    let app = Application::build(config)
        .await
        .expect("build the application");
    let port = app.port();
    let metrics_port = app.metrics_port();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        metrics_port,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client"),
        db,
        redis,
        media_dir,
    }
}

impl TestApp {
    /// `ws://127.0.0.1:<port>/ws`, the WebSocket endpoint.
    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws", self.port)
    }

    /// Opens a WebSocket on `/ws`, with `Authorization: Bearer <token>` on the upgrade if given.
    pub async fn ws(&self, token: Option<&str>) -> Result<WsClient, WsConnectError> {
        WsClient::connect(&self.ws_url(), token).await
    }

    /// A request to `path` on this server.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }

    /// GET `path`, with a bearer token if given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.request(Method::GET, path);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("GET")
    }

    /// POST JSON to `path`, with a bearer token if given.
    pub async fn post_json(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        let mut request = self.request(Method::POST, path).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("POST")
    }

    /// Registers a user with these details; panics unless it answers 201.
    pub async fn register_as(
        &self,
        first: &str,
        last: &str,
        email: &str,
        password: &str,
    ) -> RegisteredUser {
        let response = self
            .post_json(
                "/api/v1/auth/register",
                &json!({"firstName": first, "lastName": last, "email": email, "password": password}),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "register {email}");
        let body: Value = response.json().await.expect("register body");
        RegisteredUser {
            id: body["user"]["id"].as_str().expect("user.id").to_owned(),
            email: email.to_owned(),
            password: password.to_owned(),
            access_token: body["accessToken"]
                .as_str()
                .expect("accessToken")
                .to_owned(),
            refresh_token: body["refreshToken"]
                .as_str()
                .expect("refreshToken")
                .to_owned(),
        }
    }

    /// Registers a user with a fresh email.
    pub async fn register(&self) -> RegisteredUser {
        let email = format!("samurai-{}@example.com", Uuid::new_v4().simple());
        self.register_as("Aiko", "Tanaka", &email, "katana123")
            .await
    }

    /// Logs in; returns the raw response.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
            None,
        )
        .await
    }
}

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::assert_problem;
use crate::support::{spawn_app, spawn_app_with};

#[tokio::test]
async fn liveness_and_readiness_answer_200_when_all_is_up() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health/live", None).await.status(), StatusCode::OK);
    let ready = app.get("/health/ready", None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["postgres"], "up");
    assert_eq!(body["checks"]["redis"], "up");
}

#[tokio::test]
async fn readiness_is_503_naming_redis_when_redis_is_down() {
    let app = spawn_app_with(&[("REDIS_URL", "redis://127.0.0.1:1")]).await;
    let body = assert_problem(
        app.get("/health/ready", None).await,
        503,
        "dependency_unavailable",
    )
    .await;
    assert_eq!(body["checks"]["redis"], "down");
    assert_eq!(body["checks"]["postgres"], "up");
    assert!(body["detail"].as_str().unwrap().contains("redis"));
    // Still alive: only degraded.
    assert_eq!(app.get("/health/live", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn readiness_is_503_naming_postgres_when_its_database_is_gone() {
    let app = spawn_app().await;
    app.db.drop_now().await;
    let body = assert_problem(
        app.get("/health/ready", None).await,
        503,
        "dependency_unavailable",
    )
    .await;
    assert_eq!(body["checks"]["postgres"], "down");
    assert!(body["detail"].as_str().unwrap().contains("postgres"));
}

#[tokio::test]
async fn a_valid_access_token_keeps_working_through_a_redis_outage() {
    let secret = "a-shared-secret-of-at-least-32-bytes!!";
    let healthy = spawn_app_with(&[("JWT_SECRET", secret)]).await;
    let user = healthy.register().await;
    let degraded = spawn_app_with(&[
        ("JWT_SECRET", secret),
        ("DATABASE_URL", healthy.db.url()),
        ("REDIS_URL", "redis://127.0.0.1:1"),
    ])
    .await;
    let me = degraded
        .get("/api/v1/users/me", Some(&user.access_token))
        .await;
    assert_eq!(me.status(), StatusCode::OK);
    // Whatever needs the session store says so plainly.
    assert_problem(
        degraded.login(&user.email, &user.password).await,
        503,
        "service_unavailable",
    )
    .await;
}

#[tokio::test]
async fn the_database_is_created_when_missing() {
    let name = format!("sakura_created_{}", uuid::Uuid::new_v4().simple());
    let base = sakura_test_services::database_url();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    {
        let app = spawn_app_with(&[("DATABASE_URL", &url)]).await;
        app.register().await;
    }
    sakura_test_services::drop_database(&name).await;
}

#[tokio::test]
async fn metrics_are_prometheus_text_or_openmetrics_on_request() {
    let app = spawn_app().await;

    let plain = app.get("/metrics", None).await;
    let content_type = plain.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    assert!(!plain.text().await.unwrap().contains("# EOF"));

    let open = app
        .request(Method::GET, "/metrics")
        .header(
            "accept",
            "application/openmetrics-text;version=1.0.0,text/plain;q=0.5",
        )
        .send()
        .await
        .unwrap();
    let content_type = open.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(open.text().await.unwrap().ends_with("# EOF\n"));
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    app.get("/health/live", None).await;
    app.get("/api/v1/users/me", None).await;
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            r#"sakura_http_requests_total{method="GET",route="/health/live",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/api/v1/users/me",status="401""#),
        "{text}"
    );
    assert!(
        text.contains("sakura_http_request_duration_seconds_bucket"),
        "{text}"
    );
}

#[tokio::test]
async fn the_openapi_document_covers_every_endpoint() {
    let app = spawn_app().await;
    let response = app.get("/api-docs/openapi.json", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for (path, method) in [
        ("/health/live", "get"),
        ("/health/ready", "get"),
        ("/metrics", "get"),
        ("/api/v1/auth/register", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/logout-all", "post"),
        ("/api/v1/auth/sessions", "get"),
        ("/api/v1/auth/sessions/{id}", "delete"),
        ("/api/v1/auth/password", "post"),
        ("/api/v1/users/me", "get"),
    ] {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} missing");
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()),
            "{path}"
        );
    }
    for schema in [
        "Problem",
        "TokenResponse",
        "MeDto",
        "RegisterRequest",
        "SessionDto",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app().await;
    let redirect = app.get("/swagger-ui", None).await;
    assert!(redirect.status().is_redirection());
    assert_eq!(redirect.headers()["location"], "/swagger-ui/");
    let page = app.get("/swagger-ui/", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("swagger"));
    let bundle = app
        .request(Method::GET, "/swagger-ui/swagger-ui-bundle.js")
        .send()
        .await
        .unwrap();
    assert_eq!(bundle.status(), StatusCode::OK);
}

/// Sends `method path` over a fresh connection (`Connection: close`) and reads the whole answer:
/// the status line and headers, and every byte after them.
async fn raw(
    app: &crate::support::TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .expect("connect");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8(answer[..end].to_vec()).expect("ascii headers");
    (head.to_ascii_lowercase(), answer[end + 4..].to_vec())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
}

#[tokio::test]
async fn head_answers_every_get_resource_like_get_without_the_body() {
    let app = spawn_app().await;
    let user = app.register().await;
    let photo = crate::photos_support::upload_png(&app, &user).await;
    let media = photo["url"].as_str().expect("a media url").to_owned();
    let media_path = media
        .find("/media/")
        .map(|at| media[at..].to_owned())
        .expect("a /media/ path");
    let paths = [
        "/health/live",
        "/health/ready",
        "/metrics",
        "/api-docs/openapi.json",
        "/swagger-ui/",
        "/api/v1/users/me",
        media_path.as_str(),
    ];
    for path in paths {
        let (get_head, get_body) = raw(&app, "GET", path, Some(&user.access_token)).await;
        let (head_head, head_body) = raw(&app, "HEAD", path, Some(&user.access_token)).await;
        let status = |head: &str| head.lines().next().unwrap_or_default().to_owned();
        assert_eq!(status(&head_head), status(&get_head), "{path}");
        assert!(status(&get_head).contains(" 200 "), "{path}: {get_head}");
        assert!(
            head_body.is_empty(),
            "{path}: HEAD sent {} body bytes",
            head_body.len()
        );
        assert_eq!(
            header(&head_head, "content-type"),
            header(&get_head, "content-type"),
            "{path}"
        );
        // Metrics change between two scrapes; everything else is the same answer.
        if let Some(length) = header(&head_head, "content-length")
            && path != "/metrics"
        {
            assert_eq!(length, get_body.len().to_string(), "{path}");
        }
    }
    // A resource without GET still says which methods it has.
    let (head, _) = raw(&app, "HEAD", "/api/v1/auth/login", None).await;
    assert!(head.starts_with("http/1.1 405"), "{head}");
}

#[tokio::test]
async fn the_server_starts_and_serves_over_tls_to_postgres_and_redis() {
    let plain = spawn_app().await;
    let redis = sakura_test_services::TlsRedisServer::start();
    let root = sakura_test_services::postgres_server_certificate().await;
    // Debian's snakeoil certificate names localhost.
    let database_url = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        plain.db.url().replace("127.0.0.1", "localhost"),
        root.display()
    );
    let ca = redis.ca_cert().to_string_lossy().into_owned();
    let app = spawn_app_with(&[
        ("DATABASE_URL", &database_url),
        ("REDIS_URL", &redis.url()),
        ("REDIS_CA_CERT", &ca),
    ])
    .await;
    let ready = app.get("/health/ready", None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["postgres"], "up");
    assert_eq!(body["checks"]["redis"], "up");
    // A registration writes the user (PostgreSQL) and its session (Redis).
    let user = app.register().await;
    let me = app.get("/api/v1/users/me", Some(&user.access_token)).await;
    assert_eq!(me.status(), StatusCode::OK);
}

/// `Application::build` over `db` with test settings and `MIGRATE_ON_START=false`.
async fn build_without_migrating(
    db: &sakura_test_services::TestDatabase,
) -> anyhow::Result<sakura_server::startup::Application> {
    let redis = sakura_test_services::TestRedis::new().await;
    let media = std::env::temp_dir().join(format!("sakura-test-media-{}", uuid::Uuid::new_v4()));
    let vars: std::collections::HashMap<&str, String> = [
        ("PORT", "0".to_owned()),
        ("DATABASE_URL", db.url().to_owned()),
        ("REDIS_URL", redis.url().to_owned()),
        ("REDIS_KEY_PREFIX", redis.prefix().to_owned()),
        ("BCRYPT_COST", "4".to_owned()),
        ("JWT_SECRET", "x".repeat(40)),
        ("MEDIA_DIR", media.to_string_lossy().into_owned()),
        ("MIGRATE_ON_START", "false".to_owned()),
    ]
    .into_iter()
    .collect();
    let config =
        sakura_server::config::Config::from_lookup(|name| vars.get(name).cloned()).expect("config");
    sakura_server::startup::Application::build(config).await
}

#[tokio::test]
async fn without_migrate_on_start_the_server_serves_an_up_to_date_schema() {
    let app = spawn_app_with(&[("MIGRATE_ON_START", "false")]).await;
    assert_eq!(
        app.get("/health/ready", None).await.status(),
        StatusCode::OK
    );
    app.register().await;
}

#[tokio::test]
async fn without_migrate_on_start_a_pending_migration_stops_the_start() {
    let db = sakura_test_services::TestDatabase::new(sakura_postgres::run_migrations).await;
    // Forget the newest migration, as if the binary were newer than the schema.
    let (client, connection) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    let newest: String = client
        .query_one(
            "DELETE FROM __diesel_schema_migrations WHERE version = \
             (SELECT max(version) FROM __diesel_schema_migrations) RETURNING version",
            &[],
        )
        .await
        .expect("forget a migration")
        .get(0);
    let error = build_without_migrating(&db)
        .await
        .err()
        .expect("a schema behind the binary must stop the start");
    let message = format!("{error:#}");
    assert!(message.contains("MIGRATE_ON_START=false"), "{message}");
    assert!(message.contains("sakura-server migrate"), "{message}");
    assert!(message.contains(&newest), "{message}");
}

#[tokio::test]
async fn with_metrics_addr_metrics_move_off_the_public_port() {
    let app = spawn_app_with(&[("METRICS_ADDR", "127.0.0.1:0")]).await;
    let port = app.metrics_port.expect("a metrics listener");
    assert_ne!(port, app.port);
    assert_eq!(app.get("/health/live", None).await.status(), StatusCode::OK);
    assert_problem(app.get("/metrics", None).await, 404, "not_found").await;
    let scraped = app
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .expect("scrape");
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.expect("text");
    // The public port's request above is counted there.
    assert!(text.contains("route=\"/health/live\""), "{text}");
    assert!(text.contains("process_resident_memory_bytes"), "{text}");
    assert!(text.contains("sakura_db_pool_max_connections"), "{text}");
    // Only operations live there.
    let api = app
        .client
        .get(format!("http://127.0.0.1:{port}/api/v1/users/me"))
        .send()
        .await
        .expect("api on the metrics port");
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bad_metrics_addr_stops_the_start_naming_it() {
    let error = sakura_server::config::Config::from_lookup(|name| {
        (name == "METRICS_ADDR").then(|| "9100".to_owned())
    })
    .expect_err("a port alone is not an address");
    assert_eq!(error.variable, "METRICS_ADDR");
}

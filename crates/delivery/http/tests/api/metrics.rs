//! Metrics: bounded labels, requests in flight, the business counters, and `/metrics` moved to
//! the ops app.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use serde_json::json;

use crate::support::{World, get, post_json, upload};

#[actix_web::test]
async fn an_unknown_method_or_path_mints_no_new_series() {
    let world = World::new();
    for method in ["FOOBAR1", "FOOBAR2"] {
        let request = TestRequest::default()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri("/health/live");
        world.call(request).await;
    }
    world.call(get("/no/such/path/12345")).await;
    world.call(get("/api/v1/users/not-a-uuid")).await;
    let samples = world.samples().await.join("\n");
    assert!(
        !samples.contains("FOOBAR") && !samples.contains("12345") && !samples.contains("not-a"),
        "{samples}"
    );
    assert_eq!(
        world
            .sample(
                r#"sakura_http_requests_total{method="OTHER",route="/health/live",status="404"}"#
            )
            .await,
        Some(2.0),
        "{samples}"
    );
    assert!(
        samples.contains(r#"route="unmatched",status="404""#),
        "{samples}"
    );
    assert!(
        samples.contains(r#"method="GET",route="/api/v1/users/{id}""#),
        "{samples}"
    );
}

#[actix_web::test]
async fn the_scrape_sees_itself_in_flight_and_no_finished_request() {
    let world = World::new();
    for _ in 0..3 {
        world.call(get("/health/live")).await;
    }
    assert_eq!(
        world.sample("sakura_http_requests_in_flight").await,
        Some(1.0)
    );
}

#[actix_web::test]
async fn failed_logins_count_by_reason_and_every_429_by_its_limit() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    assert_eq!(
        world
            .sample(r#"sakura_login_failures_total{reason="invalid_credentials"}"#)
            .await,
        Some(0.0),
        "known reasons start at 0"
    );
    let attempt = |password: &str| {
        post_json(
            "/api/v1/auth/login",
            &json!({"email": aiko.email, "password": password}),
        )
    };
    // The world allows 3 failures per email.
    for _ in 0..3 {
        assert_eq!(world.call(attempt("wrong-password1")).await.status, 401);
    }
    assert_eq!(world.call(attempt("wrong-password1")).await.status, 429);
    assert_eq!(world.call(attempt("katana123")).await.status, 429);
    assert_eq!(
        world
            .sample(r#"sakura_login_failures_total{reason="invalid_credentials"}"#)
            .await,
        Some(3.0)
    );
    assert_eq!(
        world
            .sample(r#"sakura_login_failures_total{reason="rate_limited"}"#)
            .await,
        Some(2.0)
    );
    assert_eq!(
        world
            .sample(r#"sakura_rate_limited_total{limit="login"}"#)
            .await,
        Some(2.0)
    );

    // A password change has a limit of its own.
    let change = || {
        post_json(
            "/api/v1/auth/password",
            &json!({"currentPassword": "not-it-123", "newPassword": "katana456"}),
        )
        .insert_header(aiko.bearer())
    };
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(world.call(change()).await.status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(
        world
            .sample(r#"sakura_rate_limited_total{limit="change_password"}"#)
            .await,
        Some(1.0)
    );
    // Not a login.
    assert_eq!(
        world
            .sample(r#"sakura_login_failures_total{reason="invalid_credentials"}"#)
            .await,
        Some(3.0)
    );
}

#[actix_web::test]
async fn uploads_count_by_outcome_whoever_refuses_them() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let big = vec![b'x'; 10 * 1024 * 1024 + 1];
    let long_caption = "a".repeat(2001);
    for (request, status) in [
        (upload(b"img of a cat", None), 201),
        (upload(b"img of a dog", Some("Inu")), 201),
        // The use case refuses these...
        (upload(b"bomb", None), 413),
        (upload(b"%PDF-1.7", None), 415),
        // ...the handler these...
        (upload(b"", None), 422),
        (upload(b"img", Some(&long_caption)), 422),
        // ...and the multipart extractor these.
        (upload(&big, None), 413),
        (post_json("/api/v1/photos", &json!({"file": "img"})), 415),
    ] {
        let reply = world.as_user(&aiko, request).await;
        assert_eq!(reply.status, status, "{}", reply.text);
    }
    // Not an upload anyone may make: not counted.
    assert_eq!(world.call(upload(b"img", None)).await.status, 401);
    for (outcome, count) in [
        ("accepted", 2.0),
        ("too_large", 2.0),
        ("unsupported", 2.0),
        ("invalid", 2.0),
        ("failed", 0.0),
    ] {
        let sample = format!(r#"sakura_photo_uploads_total{{outcome="{outcome}"}}"#);
        assert_eq!(world.sample(&sample).await, Some(count), "{sample}");
    }
}

#[actix_web::test]
async fn with_metrics_elsewhere_only_the_ops_app_serves_them() {
    let world = World::new().metrics_elsewhere();
    world.call(get("/health/live")).await;
    world.call(get("/metrics")).await.problem(404, "not_found");
    world
        .call(post_json("/metrics", &json!({})))
        .await
        .problem(404, "not_found");

    let metrics = world.call_ops(get("/metrics")).await;
    assert_eq!(metrics.status, 200, "{}", metrics.text);
    assert!(
        metrics.text.contains(
            r#"sakura_http_requests_total{method="GET",route="/health/live",status="200"} 1"#
        ),
        "the public app's requests, counted in the same families: {}",
        metrics.text
    );
    assert_eq!(world.call_ops(get("/health/live")).await.status, 200);
    assert_eq!(world.call_ops(get("/health/ready")).await.status, 200);
    world
        .call_ops(get("/api/v1/users/me"))
        .await
        .problem(404, "not_found");
}

use reqwest::{Method, StatusCode};

use crate::assert_problem;
use crate::support::spawn_app;

#[tokio::test]
async fn malformed_json_is_400_malformed_json() {
    let app = spawn_app().await;
    for body in [
        "{\"email\": ",
        "not json",
        "{\"email\": \"a@example.com\"} trailing",
    ] {
        let response = app
            .request(Method::POST, "/api/v1/auth/login")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_problem(response, 400, "malformed_json").await;
    }
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_422() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body("[1, 2, 3]")
        .send()
        .await
        .unwrap();
    assert_problem(response, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let plain = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "text/plain")
        .body("{\"email\": \"a@example.com\", \"password\": \"x\"}")
        .send()
        .await
        .unwrap();
    assert_problem(plain, 415, "unsupported_media_type").await;
    let missing = app
        .request(Method::POST, "/api/v1/auth/register")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(missing, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn a_body_over_64_kib_is_413() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"email\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(65 * 1024)
    );
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn a_chunked_body_over_64_kib_is_413_too() {
    let app = spawn_app().await;
    let chunks: Vec<Result<String, std::io::Error>> =
        (0..80).map(|_| Ok("x".repeat(1024))).collect();
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    assert_problem(
        app.get("/api/v1/nothing-here", None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get("/", None).await, 404, "not_found").await;
}

#[tokio::test]
async fn a_known_route_with_the_wrong_method_is_a_405_problem() {
    let app = spawn_app().await;
    let response = app
        .request(Method::GET, "/api/v1/auth/login")
        .send()
        .await
        .unwrap();
    assert_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_safe_client_id_is_echoed() {
    let app = spawn_app().await;
    let generated = app.get("/health/live", None).await;
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");

    let echoed = app
        .request(Method::GET, "/health/live")
        .header("x-request-id", "client-abc.123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "client-abc.123");

    let unsafe_id = app
        .request(Method::GET, "/health/live")
        .header("x-request-id", "x".repeat(200))
        .send()
        .await
        .unwrap();
    assert_ne!(
        unsafe_id.headers()["x-request-id"].to_str().unwrap(),
        "x".repeat(200)
    );
    assert_eq!(unsafe_id.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_nul_byte_in_a_name_query_is_422_not_a_server_error() {
    let app = spawn_app().await;
    let user = app.register().await;
    let search = app
        .get("/api/v1/users?q=ta%00naka", Some(&user.access_token))
        .await;
    assert_problem(search, 422, "validation_failed").await;
    let friends = app
        .get(
            &format!("/api/v1/users/{}/friends?q=%00", user.id),
            Some(&user.access_token),
        )
        .await;
    assert_problem(friends, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_nul_byte_in_a_bio_is_422_naming_the_field() {
    let app = spawn_app().await;
    let user = app.register().await;
    let response = app
        .request(Method::PATCH, "/api/v1/users/me")
        .bearer_auth(&user.access_token)
        .json(&serde_json::json!({"bio": "a\u{0}b"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "bio");
}

#[tokio::test]
async fn a_nul_byte_in_a_login_email_is_just_wrong_credentials() {
    let app = spawn_app().await;
    let response = app.login("a\u{0}b@example.com", "katana123").await;
    assert_problem(response, 401, "invalid_credentials").await;
}

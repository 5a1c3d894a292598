use reqwest::StatusCode;
use serde_json::Value;

use crate::assert_problem;
use crate::support::{spawn_app, spawn_app_with};

#[tokio::test]
async fn me_shows_my_profile_with_email_and_settings() {
    let app = spawn_app().await;
    let user = app
        .register_as("Aiko", "Tanaka", "Aiko@example.com", "katana123")
        .await;
    let response = app.get("/api/v1/users/me", Some(&user.access_token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["id"], user.id.as_str());
    assert_eq!(me["email"], "Aiko@example.com");
    assert_eq!(me["friendship"], "self");
    assert_eq!(me["settings"]["theme"], "light");
    for field in ["avatarUrl", "bio", "city", "birthDate", "lastSeenAt"] {
        assert!(me[field].is_null(), "{field}");
    }
    assert_eq!(me["friendsCount"], 0);
    assert_eq!(me["photosCount"], 0);
}

#[tokio::test]
async fn a_garbage_or_foreign_token_is_401_invalid_token() {
    let app = spawn_app().await;
    assert_problem(
        app.get("/api/v1/users/me", Some("garbage")).await,
        401,
        "invalid_token",
    )
    .await;
    // A token signed by another deployment's secret.
    let other = spawn_app().await;
    let stranger = other.register().await;
    assert_problem(
        app.get("/api/v1/users/me", Some(&stranger.access_token))
            .await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn a_non_bearer_authorization_is_401_unauthenticated() {
    let app = spawn_app().await;
    let response = app
        .request(reqwest::Method::GET, "/api/v1/users/me")
        .header("authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")
        .send()
        .await
        .unwrap();
    assert_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn an_expired_access_token_is_401_token_expired() {
    let app = spawn_app_with(&[("ACCESS_TOKEN_TTL", "1s")]).await;
    let user = app.register().await;
    // Past `exp` (whole seconds) with margin; this checks expiry, not speed.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_problem(
        app.get("/api/v1/users/me", Some(&user.access_token)).await,
        401,
        "token_expired",
    )
    .await;
}

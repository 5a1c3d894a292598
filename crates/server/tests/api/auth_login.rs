use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{spawn_app, spawn_app_with};
use crate::{assert_problem, refresh_cookie};

#[tokio::test]
async fn logging_in_in_any_email_case_answers_a_token_pair_and_the_cookie() {
    let app = spawn_app().await;
    let user = app
        .register_as("Aiko", "Tanaka", "aiko@example.com", "katana123")
        .await;
    let response = app.login(" AIKO@Example.com ", "katana123").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(refresh_cookie(&response).is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["id"], user.id.as_str());
    let me = app
        .get("/api/v1/users/me", body["accessToken"].as_str())
        .await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.register_as("Aiko", "Tanaka", "aiko@example.com", "katana123")
        .await;
    let wrong = assert_problem(
        app.login("aiko@example.com", "wrong1234").await,
        401,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_problem(
        app.login("nobody@example.com", "katana123").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn empty_credentials_are_422() {
    let app = spawn_app().await;
    let response = app.post_json("/api/v1/auth/login", &json!({}), None).await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn repeated_failures_for_an_email_are_rate_limited_with_retry_after() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES_PER_EMAIL", "3")]).await;
    app.register_as("Aiko", "Tanaka", "aiko@example.com", "katana123")
        .await;
    for _ in 0..3 {
        assert_eq!(
            app.login("aiko@example.com", "wrong1234").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password waits now: the limit protects the account, not the guess.
    let response = app.login("aiko@example.com", "katana123").await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_problem(response, 429, "rate_limited").await;
    // Other accounts are unaffected.
    let other = app.register().await;
    assert_eq!(
        app.login(&other.email, &other.password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn repeated_failures_from_one_address_are_rate_limited_across_emails() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES_PER_IP", "3")]).await;
    for i in 0..3 {
        let response = app
            .login(&format!("nobody{i}@example.com"), "wrong1234")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_problem(
        app.login("someone-else@example.com", "wrong1234").await,
        429,
        "rate_limited",
    )
    .await;
}

#[tokio::test]
async fn a_successful_login_forgets_earlier_failures_of_the_email() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES_PER_EMAIL", "3")]).await;
    let user = app.register().await;
    for _ in 0..2 {
        app.login(&user.email, "wrong1234").await;
    }
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::OK
    );
    for _ in 0..2 {
        app.login(&user.email, "wrong1234").await;
    }
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn rate_limit_keys_never_contain_the_email() {
    let app = spawn_app().await;
    app.login("secret.person@example.com", "wrong1234").await;
    let keys = app.redis.keys().await;
    assert!(!keys.is_empty());
    assert!(
        keys.iter().all(|k| !k.contains("secret.person")),
        "{keys:?}"
    );
}

#[tokio::test]
async fn login_answers_503_when_redis_is_down_and_503_names_no_internals() {
    let app = spawn_app_with(&[("REDIS_URL", "redis://127.0.0.1:1")]).await;
    let response = app.login("aiko@example.com", "katana123").await;
    let body = assert_problem(response, 503, "service_unavailable").await;
    let text = body.to_string();
    assert!(
        !text.contains("127.0.0.1") && !text.to_lowercase().contains("redis://"),
        "{text}"
    );
}

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{spawn_app, spawn_app_with};
use crate::{assert_problem, refresh_cookie};

#[tokio::test]
async fn registering_answers_201_with_tokens_the_cookie_and_my_profile() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"firstName": "Aiko", "lastName": "Tanaka", "email": "Aiko@Example.com", "password": "katana123"}),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = refresh_cookie(&response).expect("refresh cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing in {cookie}"
        );
    }
    let body: Value = response.json().await.unwrap();
    let token = body["refreshToken"].as_str().unwrap();
    assert!(cookie.starts_with(&format!("refresh_token={token};")));
    assert!(body["accessToken"].as_str().unwrap().split('.').count() == 3);
    for field in ["accessTokenExpiresAt", "refreshTokenExpiresAt"] {
        let at = body[field].as_str().unwrap();
        assert!(at.ends_with('Z'), "{field} {at} is not UTC");
    }
    let user = &body["user"];
    assert_eq!(user["firstName"], "Aiko");
    assert_eq!(user["lastName"], "Tanaka");
    assert_eq!(user["email"], "Aiko@Example.com");
    assert_eq!(user["friendship"], "self");
    assert_eq!(user["settings"]["theme"], "light");
    assert_eq!(user["settings"]["privacy"]["messages"], "everyone");
    let id = user["id"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
    assert!(body.get("password").is_none() && user.get("passwordHash").is_none());
}

#[tokio::test]
async fn an_email_taken_in_another_case_is_409_email_taken() {
    let app = spawn_app().await;
    app.register_as("Aiko", "Tanaka", "aiko@example.com", "katana123")
        .await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"firstName": "Ren", "lastName": "Sato", "email": "AIKO@example.COM", "password": "katana123"}),
            None,
        )
        .await;
    assert_problem(response, 409, "email_taken").await;
}

#[tokio::test]
async fn names_in_any_script_are_accepted() {
    let app = spawn_app().await;
    for (i, (first, last)) in [
        ("田中", "花子"),
        ("Дмитрий", "Иванов"),
        ("Seán", "O'Brien-Núñez"),
        ("देवी", "शर्मा"),
    ]
    .into_iter()
    .enumerate()
    {
        let user = app
            .register_as(first, last, &format!("p{i}@example.com"), "katana123")
            .await;
        let me: Value = app
            .get("/api/v1/users/me", Some(&user.access_token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                me["firstName"].as_str().unwrap(),
                me["lastName"].as_str().unwrap()
            ),
            (first, last)
        );
    }
}

#[tokio::test]
async fn every_invalid_field_is_listed_in_one_422() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"firstName": "R2D2", "lastName": "", "email": "not-an-email", "password": "short"}),
            None,
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["firstName", "lastName", "email", "password"] {
        assert!(fields.contains(&field), "{field} missing in {fields:?}");
    }
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty()))
    );
}

#[tokio::test]
async fn missing_fields_are_422_not_400() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "a@example.com"}),
            None,
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert!(body["errors"].as_array().unwrap().len() >= 3);
}

#[tokio::test]
async fn the_password_policy_is_8_to_72_bytes_with_a_letter_and_a_digit() {
    let app = spawn_app().await;
    let too_long = format!("{}1", "あ".repeat(24)); // 73 bytes, 25 characters
    for password in ["abc1234", "abcdefgh", "12345678", too_long.as_str()] {
        let response = app
            .post_json(
                "/api/v1/auth/register",
                &json!({"firstName": "Aiko", "lastName": "Tanaka", "email": "a@example.com", "password": password}),
                None,
            )
            .await;
        let body = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "password", "{password}");
    }
    let ok = format!("{}1", "a".repeat(71));
    app.register_as("Aiko", "Tanaka", "a@example.com", &ok)
        .await;
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_422_naming_it() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"firstName": 42, "lastName": "Tanaka", "email": "a@example.com", "password": "katana123"}),
            None,
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "firstName");
}

#[tokio::test]
async fn a_failed_registration_stores_nothing() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"firstName": "Aiko", "lastName": "Tanaka", "email": "aiko@example.com", "password": "short"}),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The email is still free.
    app.register_as("Aiko", "Tanaka", "aiko@example.com", "katana123")
        .await;
}

#[tokio::test]
async fn a_sign_up_while_redis_is_down_is_503_and_leaves_the_email_free() {
    let secret = "a-shared-secret-of-at-least-32-bytes!!";
    let degraded =
        spawn_app_with(&[("JWT_SECRET", secret), ("REDIS_URL", "redis://127.0.0.1:1")]).await;
    let body = json!({"firstName": "Aiko", "lastName": "Tanaka", "email": "aiko@example.com", "password": "katana123"});
    let response = degraded
        .post_json("/api/v1/auth/register", &body, None)
        .await;
    assert_problem(response, 503, "service_unavailable").await;
    // Same database, Redis back: the email was never taken.
    let healthy =
        spawn_app_with(&[("JWT_SECRET", secret), ("DATABASE_URL", degraded.db.url())]).await;
    let response = healthy
        .post_json("/api/v1/auth/register", &body, None)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

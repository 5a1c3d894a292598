//! Auth: each error of register, login, refresh, logout, sessions and password, and the 401s
//! of the token check.

use actix_web::http::header;
use serde_json::json;

use crate::support::{World, delete, get, post_json};

#[actix_web::test]
async fn registering_an_email_that_is_taken_answers_409_email_taken() {
    let world = World::new();
    world.register("Aiko").await;
    let reply = world
        .call(post_json(
            "/api/v1/auth/register",
            &json!({"firstName": "Aiko", "lastName": "Sato", "email": "AIKO@example.com", "password": "katana123"}),
        ))
        .await;
    reply.problem(409, "email_taken");
    assert_eq!(reply.fields(), ["email"]);
}

#[actix_web::test]
async fn registering_with_bad_fields_answers_422_naming_each_field() {
    let world = World::new();
    let reply = world
        .call(post_json(
            "/api/v1/auth/register",
            &json!({"firstName": "", "lastName": "Tanaka", "email": "not-an-email", "password": "short"}),
        ))
        .await;
    reply.problem(422, "validation_failed");
    let mut fields = reply.fields();
    fields.sort();
    assert_eq!(fields, ["email", "firstName", "password"]);
}

#[actix_web::test]
async fn a_request_without_a_token_answers_401_unauthenticated_with_a_bearer_challenge() {
    let world = World::new();
    let reply = world.call(get("/api/v1/users/me")).await;
    reply.problem(401, "unauthenticated");
    assert_eq!(
        reply.headers.get(header::WWW_AUTHENTICATE).unwrap(),
        "Bearer"
    );
}

#[actix_web::test]
async fn a_token_that_is_not_ours_answers_401_invalid_token() {
    let world = World::new();
    let reply = world
        .call(get("/api/v1/users/me").insert_header((header::AUTHORIZATION, "Bearer forged")))
        .await;
    reply.problem(401, "invalid_token");
}

#[actix_web::test]
async fn an_expired_token_answers_401_token_expired() {
    let world = World::new();
    // The fake's token format, expired at the epoch's first second.
    let token = format!("access.{}.{}.1", uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let reply = world
        .call(
            get("/api/v1/users/me")
                .insert_header((header::AUTHORIZATION, format!("Bearer {token}"))),
        )
        .await;
    reply.problem(401, "token_expired");
}

#[actix_web::test]
async fn the_token_of_a_logged_out_session_answers_401_session_revoked() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let logout = world
        .as_user(&aiko, post_json("/api/v1/auth/logout", &json!({})))
        .await;
    assert_eq!(logout.status, 204, "{}", logout.text);
    let reply = world.as_user(&aiko, get("/api/v1/users/me")).await;
    reply.problem(401, "session_revoked");
}

#[actix_web::test]
async fn a_wrong_password_answers_401_invalid_credentials() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .call(post_json(
            "/api/v1/auth/login",
            &json!({"email": aiko.email, "password": "wrong-password1"}),
        ))
        .await;
    reply.problem(401, "invalid_credentials");
}

#[actix_web::test]
async fn too_many_failed_logins_answer_429_rate_limited_with_retry_after() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let attempt = || {
        post_json(
            "/api/v1/auth/login",
            &json!({"email": aiko.email, "password": "wrong-password1"}),
        )
    };
    for _ in 0..3 {
        world
            .call(attempt())
            .await
            .problem(401, "invalid_credentials");
    }
    let reply = world.call(attempt()).await;
    reply.problem(429, "rate_limited");
    assert!(reply.headers.contains_key(header::RETRY_AFTER));
}

#[actix_web::test]
async fn logging_in_while_the_session_store_is_down_answers_503_service_unavailable() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    world.auth.sessions.outage.set(true);
    let reply = world
        .call(post_json(
            "/api/v1/auth/login",
            &json!({"email": aiko.email, "password": "katana123"}),
        ))
        .await;
    reply.problem(503, "service_unavailable");
}

#[actix_web::test]
async fn refreshing_without_a_refresh_token_answers_401_invalid_refresh_token() {
    let world = World::new();
    let reply = world
        .call(post_json("/api/v1/auth/refresh", &json!({})))
        .await;
    reply.problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn a_refresh_token_used_twice_answers_401_refresh_token_reused() {
    let world = World::new();
    let registered = world
        .call(post_json(
            "/api/v1/auth/register",
            &json!({"firstName": "Aiko", "lastName": "Tanaka", "email": "aiko@example.com", "password": "katana123"}),
        ))
        .await;
    let refresh = json!({"refreshToken": registered.body["refreshToken"]});
    let first = world
        .call(post_json("/api/v1/auth/refresh", &refresh))
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let reply = world
        .call(post_json("/api/v1/auth/refresh", &refresh))
        .await;
    reply.problem(401, "refresh_token_reused");
}

#[actix_web::test]
async fn revoking_a_session_i_do_not_have_answers_404_session_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let path = format!("/api/v1/auth/sessions/{}", uuid::Uuid::now_v7());
    let reply = world.as_user(&aiko, delete(&path)).await;
    reply.problem(404, "session_not_found");
}

#[actix_web::test]
async fn changing_the_password_with_a_wrong_current_one_answers_403_invalid_credentials() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(
            &aiko,
            post_json(
                "/api/v1/auth/password",
                &json!({"currentPassword": "not-it-1", "newPassword": "wakizashi456"}),
            ),
        )
        .await;
    reply.problem(403, "invalid_credentials");
    assert_eq!(reply.fields(), ["currentPassword"]);
}

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, spawn_app};
use crate::{assert_problem, refresh_cookie};

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refreshToken": token}),
        None,
    )
    .await
}

async fn login_tokens(app: &TestApp, email: &str, password: &str, agent: &str) -> (String, String) {
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("user-agent", agent)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    (
        body["accessToken"].as_str().unwrap().to_owned(),
        body["refreshToken"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn refreshing_rotates_the_refresh_token_and_issues_a_working_access_token() {
    let app = spawn_app().await;
    let user = app.register().await;
    let response = refresh(&app, &user.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(refresh_cookie(&response).is_some());
    let body: Value = response.json().await.unwrap();
    assert_ne!(body["refreshToken"], user.refresh_token.as_str());
    assert_eq!(body["user"]["id"], user.id.as_str());
    assert_eq!(
        app.get("/api/v1/users/me", body["accessToken"].as_str())
            .await
            .status(),
        StatusCode::OK
    );
    // The new one refreshes again.
    assert_eq!(
        refresh(&app, body["refreshToken"].as_str().unwrap())
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_reused_refresh_token_is_refused_and_revokes_the_whole_session() {
    let app = spawn_app().await;
    let user = app.register().await;
    let rotated: Value = refresh(&app, &user.refresh_token)
        .await
        .json()
        .await
        .unwrap();

    assert_problem(
        refresh(&app, &user.refresh_token).await,
        401,
        "refresh_token_reused",
    )
    .await;

    let newest = rotated["refreshToken"].as_str().unwrap();
    assert_problem(refresh(&app, newest).await, 401, "invalid_refresh_token").await;
    let me = app
        .get("/api/v1/users/me", rotated["accessToken"].as_str())
        .await;
    assert_problem(me, 401, "session_revoked").await;
}

#[tokio::test]
async fn the_refresh_token_is_also_taken_from_the_cookie() {
    let app = spawn_app().await;
    let user = app.register().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .header("cookie", format!("refresh_token={}", user.refresh_token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_ne!(body["refreshToken"], user.refresh_token.as_str());
}

#[tokio::test]
async fn unknown_missing_and_malformed_refresh_tokens_are_401_invalid_refresh_token() {
    let app = spawn_app().await;
    assert_problem(refresh(&app, "garbage").await, 401, "invalid_refresh_token").await;
    let none = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .send()
        .await
        .unwrap();
    assert_problem(none, 401, "invalid_refresh_token").await;
    let empty = app
        .post_json("/api/v1/auth/refresh", &json!({}), None)
        .await;
    assert_problem(empty, 401, "invalid_refresh_token").await;
    // A well-formed token of ours for a session that never existed.
    let user = app.register().await;
    app.post_json("/api/v1/auth/logout", &json!({}), Some(&user.access_token))
        .await;
    assert_problem(
        refresh(&app, &user.refresh_token).await,
        401,
        "invalid_refresh_token",
    )
    .await;
}

#[tokio::test]
async fn logging_out_revokes_this_session_only_and_clears_the_cookie() {
    let app = spawn_app().await;
    let user = app.register().await;
    let (laptop_access, _) = login_tokens(&app, &user.email, &user.password, "laptop").await;

    let response = app
        .post_json("/api/v1/auth/logout", &json!({}), Some(&user.access_token))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cookie = refresh_cookie(&response).expect("cleared cookie");
    assert!(
        cookie.starts_with("refresh_token=;") && cookie.contains("Max-Age=0"),
        "{cookie}"
    );

    assert_problem(
        app.get("/api/v1/users/me", Some(&user.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    assert_problem(
        refresh(&app, &user.refresh_token).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/users/me", Some(&laptop_access))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn logging_out_works_with_only_the_refresh_cookie() {
    let app = spawn_app().await;
    let user = app.register().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/logout")
        .header("cookie", format!("refresh_token={}", user.refresh_token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get("/api/v1/users/me", Some(&user.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
}

#[tokio::test]
async fn logging_out_with_neither_token_is_401() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/logout")
        .send()
        .await
        .unwrap();
    assert_problem(response, 401, "unauthenticated").await;
    let response = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refreshToken": "nope"}),
            None,
        )
        .await;
    assert_problem(response, 401, "invalid_refresh_token").await;
}

#[tokio::test]
async fn logout_all_revokes_every_session() {
    let app = spawn_app().await;
    let user = app.register().await;
    let (laptop_access, laptop_refresh) =
        login_tokens(&app, &user.email, &user.password, "laptop").await;
    let response = app
        .post_json("/api/v1/auth/logout-all", &json!({}), Some(&laptop_access))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for token in [&user.access_token, &laptop_access] {
        assert_problem(
            app.get("/api/v1/users/me", Some(token)).await,
            401,
            "session_revoked",
        )
        .await;
    }
    for token in [&user.refresh_token, &laptop_refresh] {
        assert_problem(refresh(&app, token).await, 401, "invalid_refresh_token").await;
    }
}

#[tokio::test]
async fn the_sessions_list_shows_each_device_and_marks_the_current_one() {
    let app = spawn_app().await;
    let user = app.register().await;
    let (laptop_access, _) =
        login_tokens(&app, &user.email, &user.password, "Laptop Browser/1.0").await;
    let response = app.get("/api/v1/auth/sessions", Some(&laptop_access)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(body["nextCursor"].is_null());
    let current: Vec<&Value> = items.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["userAgent"], "Laptop Browser/1.0");
    for item in items {
        for field in ["id", "createdAt", "lastUsedAt"] {
            assert!(item[field].is_string(), "{field} in {item}");
        }
    }
}

#[tokio::test]
async fn revoking_another_of_my_sessions_ends_it() {
    let app = spawn_app().await;
    let user = app.register().await;
    let (laptop_access, _) = login_tokens(&app, &user.email, &user.password, "laptop").await;
    let sessions: Value = app
        .get("/api/v1/auth/sessions", Some(&laptop_access))
        .await
        .json()
        .await
        .unwrap();
    let phone = sessions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .unwrap();
    let path = format!("/api/v1/auth/sessions/{}", phone["id"].as_str().unwrap());

    let response = app
        .request(Method::DELETE, &path)
        .bearer_auth(&laptop_access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get("/api/v1/users/me", Some(&user.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/users/me", Some(&laptop_access))
            .await
            .status(),
        StatusCode::OK
    );
    // Again: it is gone.
    let again = app
        .request(Method::DELETE, &path)
        .bearer_auth(&laptop_access)
        .send()
        .await
        .unwrap();
    assert_problem(again, 404, "session_not_found").await;
}

#[tokio::test]
async fn someone_elses_or_a_malformed_session_id_is_404() {
    let app = spawn_app().await;
    let aiko = app.register().await;
    let ren = app.register().await;
    let ren_sessions: Value = app
        .get("/api/v1/auth/sessions", Some(&ren.access_token))
        .await
        .json()
        .await
        .unwrap();
    let ren_session = ren_sessions["items"][0]["id"].as_str().unwrap();
    let response = app
        .request(
            Method::DELETE,
            &format!("/api/v1/auth/sessions/{ren_session}"),
        )
        .bearer_auth(&aiko.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "session_not_found").await;
    assert_eq!(
        app.get("/api/v1/users/me", Some(&ren.access_token))
            .await
            .status(),
        StatusCode::OK
    );
    let malformed = app
        .request(Method::DELETE, "/api/v1/auth/sessions/not-a-uuid")
        .bearer_auth(&aiko.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(malformed, 404, "not_found").await;
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = spawn_app().await;
    let user = app.register().await;
    let (laptop_access, _) = login_tokens(&app, &user.email, &user.password, "laptop").await;
    let response = app
        .post_json(
            "/api/v1/auth/password",
            &json!({"currentPassword": user.password, "newPassword": "wakizashi456"}),
            Some(&laptop_access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/users/me", Some(&laptop_access))
            .await
            .status(),
        StatusCode::OK
    );
    assert_problem(
        app.get("/api/v1/users/me", Some(&user.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    assert_eq!(
        app.login(&user.email, "wakizashi456").await.status(),
        StatusCode::OK
    );
    assert_problem(
        app.login(&user.email, &user.password).await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_current_password_is_403_and_changes_nothing() {
    let app = spawn_app().await;
    let user = app.register().await;
    let response = app
        .post_json(
            "/api/v1/auth/password",
            &json!({"currentPassword": "wrong1234", "newPassword": "wakizashi456"}),
            Some(&user.access_token),
        )
        .await;
    assert_problem(response, 403, "invalid_credentials").await;
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_new_password_that_breaks_the_policy_is_422() {
    let app = spawn_app().await;
    let user = app.register().await;
    let response = app
        .post_json(
            "/api/v1/auth/password",
            &json!({"currentPassword": user.password, "newPassword": "password"}),
            Some(&user.access_token),
        )
        .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "newPassword");
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_session_endpoint_requires_a_token() {
    let app = spawn_app().await;
    let id = uuid::Uuid::now_v7();
    for (method, path) in [
        (Method::POST, "/api/v1/auth/logout-all".to_owned()),
        (Method::GET, "/api/v1/auth/sessions".to_owned()),
        (Method::DELETE, format!("/api/v1/auth/sessions/{id}")),
        (Method::POST, "/api/v1/auth/password".to_owned()),
        (Method::GET, "/api/v1/users/me".to_owned()),
    ] {
        let response = app
            .request(method.clone(), &path)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer",
            "{method} {path}"
        );
        assert_problem(response, 401, "unauthenticated").await;
    }
}

//! Small steps the people tests share: make users, befriend, block, read pages.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{RegisteredUser, TestApp};

/// Registers `first last` with a fresh email.
pub async fn person(app: &TestApp, first: &str, last: &str) -> RegisteredUser {
    let email = format!("p-{}@example.com", Uuid::new_v4().simple());
    app.register_as(first, last, &email, "katana123").await
}

/// Asserts `status` and returns the JSON body.
pub async fn json_with(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let url = response.url().path().to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(actual, status, "{url} answered {actual}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {body}"))
}

/// Asserts a `204 No Content`.
pub async fn assert_no_content(response: Response) {
    let status = response.status();
    let url = response.url().path().to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::NO_CONTENT, "{url}: {body}");
}

/// GET `path` as `user`, expecting 200.
pub async fn get_ok(app: &TestApp, path: &str, user: &RegisteredUser) -> Value {
    json_with(app.get(path, Some(&user.access_token)).await, 200).await
}

/// A request with a JSON body as `user`.
pub async fn send_json(
    app: &TestApp,
    method: Method,
    path: &str,
    body: &Value,
    user: &RegisteredUser,
) -> Response {
    app.request(method, path)
        .bearer_auth(&user.access_token)
        .json(body)
        .send()
        .await
        .expect("request")
}

/// A request without a body as `user`.
pub async fn send(app: &TestApp, method: Method, path: &str, user: &RegisteredUser) -> Response {
    app.request(method, path)
        .bearer_auth(&user.access_token)
        .send()
        .await
        .expect("request")
}

/// `PATCH /users/me` as `user`.
pub async fn patch_me(app: &TestApp, user: &RegisteredUser, body: Value) -> Response {
    send_json(app, Method::PATCH, "/api/v1/users/me", &body, user).await
}

/// `PATCH /users/me/settings` as `user`.
pub async fn patch_settings(app: &TestApp, user: &RegisteredUser, body: Value) -> Response {
    send_json(app, Method::PATCH, "/api/v1/users/me/settings", &body, user).await
}

/// Sets one privacy key of `user`, expecting 200.
pub async fn set_privacy(app: &TestApp, user: &RegisteredUser, key: &str, value: &str) {
    let response = patch_settings(app, user, json!({"privacy": {key: value}})).await;
    json_with(response, 200).await;
}

/// Sets `user`'s city, expecting 200.
pub async fn set_city(app: &TestApp, user: &RegisteredUser, city: &str) {
    json_with(patch_me(app, user, json!({"city": city})).await, 200).await;
}

/// `POST /friends/requests` from `from` to `to`.
pub async fn request_friend(app: &TestApp, from: &RegisteredUser, to: &str) -> Response {
    let body = json!({"userId": to});
    send_json(app, Method::POST, "/api/v1/friends/requests", &body, from).await
}

/// `from` requests `to` (201) and `to` accepts (200).
pub async fn befriend(app: &TestApp, from: &RegisteredUser, to: &RegisteredUser) {
    json_with(request_friend(app, from, &to.id).await, 201).await;
    let accept = format!("/api/v1/friends/requests/{}/accept", from.id);
    json_with(send(app, Method::POST, &accept, to).await, 200).await;
}

/// `POST /blocks` from `blocker` against `blocked`.
pub async fn block(app: &TestApp, blocker: &RegisteredUser, blocked: &str) -> Response {
    let body = json!({"userId": blocked});
    send_json(app, Method::POST, "/api/v1/blocks", &body, blocker).await
}

/// `GET /users/{id}` as `viewer`, expecting 200.
pub async fn profile(app: &TestApp, viewer: &RegisteredUser, id: &str) -> Value {
    get_ok(app, &format!("/api/v1/users/{id}"), viewer).await
}

/// My relation to `id` as `GET /users/{id}` reports it.
pub async fn friendship(app: &TestApp, viewer: &RegisteredUser, id: &str) -> String {
    profile(app, viewer, id).await["friendship"]
        .as_str()
        .expect("friendship")
        .to_owned()
}

/// The `id`s of a page's items (or of their `user` when items wrap one).
pub fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let id = if item["user"].is_object() {
                &item["user"]["id"]
            } else {
                &item["id"]
            };
            id.as_str().expect("id").to_owned()
        })
        .collect()
}

/// Every item of a list, following `nextCursor` with `limit` per page; asserts no page is
/// larger than `limit`.
pub async fn all_pages(
    app: &TestApp,
    path: &str,
    user: &RegisteredUser,
    limit: usize,
) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let mut url = format!("{path}{separator}limit={limit}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={}", encode(c)));
        }
        let page = get_ok(app, &url, user).await;
        let batch = page["items"].as_array().expect("items");
        assert!(batch.len() <= limit, "page of {} > {limit}", batch.len());
        items.extend(batch.iter().cloned());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert!(page["nextCursor"].is_null(), "nextCursor in {page}");
                return items;
            }
        }
    }
    panic!("{path} never ended");
}

/// The ids of `all_pages`.
pub async fn all_ids(
    app: &TestApp,
    path: &str,
    user: &RegisteredUser,
    limit: usize,
) -> Vec<String> {
    let items = all_pages(app, path, user, limit).await;
    ids(&json!({"items": items}))
}

/// Percent-encodes a query value.
pub fn encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

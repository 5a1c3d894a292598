use reqwest::Method;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::assert_problem;
use crate::people_support::{
    assert_no_content, befriend, block, get_ok, json_with, patch_me, person, profile, send,
    set_privacy,
};
use crate::support::{RegisteredUser, TestApp, spawn_app};

/// Fills in every optional field of `user`'s page.
async fn fill_page(app: &TestApp, user: &RegisteredUser) {
    let body = json!({"bio": "Tea and mountains", "city": "Kyoto", "birthDate": "1990-04-01"});
    json_with(patch_me(app, user, body).await, 200).await;
}

/// The `field`s named in a 422's `errors`.
fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_owned())
        .collect()
}

/// Asserts that PATCH /users/me with `body` is 422 naming `field`.
async fn assert_patch_refused(app: &TestApp, user: &RegisteredUser, body: Value, field: &str) {
    let problem = assert_problem(
        patch_me(app, user, body.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        error_fields(&problem).contains(&field.to_owned()),
        "{body} should be refused on {field}: {problem}"
    );
}

#[tokio::test]
async fn patching_my_page_sets_every_field_and_answers_like_get_me() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    let body = json!({"firstName": "Hanako", "lastName": "Sato", "bio": "Tea and mountains",
        "city": "Kyoto", "birthDate": "1990-04-01"});
    let patched = json_with(patch_me(&app, &me, body).await, 200).await;

    assert_eq!(patched["firstName"], "Hanako");
    assert_eq!(patched["lastName"], "Sato");
    assert_eq!(patched["bio"], "Tea and mountains");
    assert_eq!(patched["city"], "Kyoto");
    assert_eq!(patched["birthDate"], "1990-04-01");
    assert_eq!(patched["email"], me.email.as_str());
    assert_eq!(patched["friendship"], "self");
    assert!(patched["settings"].is_object() && patched["createdAt"].is_string());
    let fetched = get_ok(&app, "/api/v1/users/me", &me).await;
    assert_eq!(patched, fetched);
}

#[tokio::test]
async fn a_patch_changes_only_the_fields_it_names() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    fill_page(&app, &me).await;

    let patched = json_with(patch_me(&app, &me, json!({"city": "Osaka"})).await, 200).await;

    assert_eq!(patched["city"], "Osaka");
    assert_eq!(patched["bio"], "Tea and mountains");
    assert_eq!(patched["birthDate"], "1990-04-01");
    assert_eq!(patched["firstName"], "Aiko");
    assert_eq!(patched["lastName"], "Tanaka");
}

#[tokio::test]
async fn null_clears_bio_city_and_birth_date() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    fill_page(&app, &me).await;

    let body = json!({"bio": null, "city": null, "birthDate": null});
    let patched = json_with(patch_me(&app, &me, body).await, 200).await;

    for field in ["bio", "city", "birthDate"] {
        assert!(patched[field].is_null(), "{field} in {patched}");
    }
    let fetched = get_ok(&app, "/api/v1/users/me", &me).await;
    assert!(
        fetched["bio"].is_null() && fetched["city"].is_null() && fetched["birthDate"].is_null()
    );
}

#[tokio::test]
async fn a_bio_of_500_characters_is_accepted_and_501_is_422_on_bio() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    // Multi-byte characters: the limit counts characters, not bytes.
    let longest = "桜".repeat(500);

    let patched = json_with(patch_me(&app, &me, json!({"bio": longest})).await, 200).await;
    assert_eq!(patched["bio"], longest.as_str());

    assert_patch_refused(&app, &me, json!({"bio": "a".repeat(501)}), "bio").await;
}

#[tokio::test]
async fn a_city_over_100_characters_is_422_on_city() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    json_with(
        patch_me(&app, &me, json!({"city": "x".repeat(100)})).await,
        200,
    )
    .await;
    assert_patch_refused(&app, &me, json!({"city": "x".repeat(101)}), "city").await;
}

#[tokio::test]
async fn birth_dates_in_the_future_before_1900_or_malformed_are_422_on_birth_date() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let future = (OffsetDateTime::now_utc() + Duration::days(2))
        .date()
        .to_string();

    for bad in [
        future.as_str(),
        "1899-12-31",
        "1990-13-01",
        "1990-02-30",
        "01/04/1990",
        "soon",
    ] {
        assert_patch_refused(&app, &me, json!({"birthDate": bad}), "birthDate").await;
    }
}

#[tokio::test]
async fn the_earliest_birth_date_and_a_leap_day_are_accepted() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    for good in ["1900-01-01", "2000-02-29"] {
        let patched = json_with(patch_me(&app, &me, json!({"birthDate": good})).await, 200).await;
        assert_eq!(patched["birthDate"], good);
    }
}

#[tokio::test]
async fn bad_names_are_422_on_the_name_field() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    assert_patch_refused(&app, &me, json!({"firstName": null}), "firstName").await;
    assert_patch_refused(&app, &me, json!({"firstName": ""}), "firstName").await;
    assert_patch_refused(&app, &me, json!({"lastName": "R2-D2"}), "lastName").await;
    assert_patch_refused(&app, &me, json!({"lastName": "a".repeat(51)}), "lastName").await;
}

#[tokio::test]
async fn a_refused_patch_changes_nothing_and_names_every_bad_field() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    fill_page(&app, &me).await;

    let body = json!({"firstName": "Hanako", "bio": "b".repeat(501), "birthDate": "1850-01-01"});
    let problem = assert_problem(patch_me(&app, &me, body).await, 422, "validation_failed").await;

    let fields = error_fields(&problem);
    assert!(fields.contains(&"bio".to_owned()) && fields.contains(&"birthDate".to_owned()));
    let fetched = get_ok(&app, "/api/v1/users/me", &me).await;
    assert_eq!(fetched["firstName"], "Aiko");
    assert_eq!(fetched["bio"], "Tea and mountains");
    assert_eq!(fetched["birthDate"], "1990-04-01");
}

#[tokio::test]
async fn my_email_and_counts_cannot_be_changed_through_my_page() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    let body = json!({"email": "new@example.com", "friendsCount": 99, "id": uuid::Uuid::now_v7()});
    let status = patch_me(&app, &me, body).await.status().as_u16();

    assert!([200, 422].contains(&status), "{status}");
    let fetched = get_ok(&app, "/api/v1/users/me", &me).await;
    assert_eq!(fetched["email"], me.email.as_str());
    assert_eq!(fetched["id"], me.id.as_str());
    assert_eq!(fetched["friendsCount"], 0);
}

#[tokio::test]
async fn a_stranger_sees_my_public_profile_without_email_or_settings() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let stranger = person(&app, "Ren", "Sato").await;
    fill_page(&app, &me).await;

    let seen = profile(&app, &stranger, &me.id).await;

    assert_eq!(seen["id"], me.id.as_str());
    assert_eq!(seen["firstName"], "Aiko");
    assert_eq!(seen["lastName"], "Tanaka");
    assert_eq!(seen["bio"], "Tea and mountains");
    assert_eq!(seen["city"], "Kyoto");
    assert_eq!(seen["birthDate"], "1990-04-01");
    assert_eq!(seen["friendship"], "none");
    assert_eq!(seen["friendsCount"], 0);
    assert_eq!(seen["photosCount"], 0);
    assert!(seen["online"].is_boolean(), "online in {seen}");
    for field in ["avatarUrl", "lastSeenAt"] {
        assert!(seen.get(field).is_some(), "{field} missing in {seen}");
    }
    for private in ["email", "settings", "passwordHash"] {
        assert!(seen.get(private).is_none(), "{private} leaked in {seen}");
    }
    assert!(
        !seen.to_string().contains(&me.email),
        "email leaked in {seen}"
    );
}

#[tokio::test]
async fn profile_privacy_hides_bio_city_and_birth_date_from_strangers_only() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let friend = person(&app, "Ren", "Sato").await;
    let stranger = person(&app, "Yuki", "Mori").await;
    fill_page(&app, &owner).await;
    befriend(&app, &friend, &owner).await;
    set_privacy(&app, &owner, "profile", "friends").await;

    let by_stranger = profile(&app, &stranger, &owner.id).await;
    let by_friend = profile(&app, &friend, &owner.id).await;
    let by_owner = profile(&app, &owner, &owner.id).await;

    for field in ["bio", "city", "birthDate"] {
        assert!(
            by_stranger[field].is_null(),
            "{field} shown to a stranger: {by_stranger}"
        );
        assert!(
            !by_friend[field].is_null(),
            "{field} hidden from a friend: {by_friend}"
        );
        assert!(
            !by_owner[field].is_null(),
            "{field} hidden from the owner: {by_owner}"
        );
    }
    assert_eq!(by_stranger["firstName"], "Aiko");
    assert_eq!(by_stranger["friendsCount"], 1);
    assert_eq!(by_owner["friendship"], "self");
    assert_eq!(by_friend["friendship"], "friends");
}

#[tokio::test]
async fn friends_privacy_hides_friends_count_from_strangers_only() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let friend = person(&app, "Ren", "Sato").await;
    let stranger = person(&app, "Yuki", "Mori").await;
    befriend(&app, &owner, &friend).await;
    set_privacy(&app, &owner, "friends", "friends").await;

    assert!(profile(&app, &stranger, &owner.id).await["friendsCount"].is_null());
    assert_eq!(profile(&app, &friend, &owner.id).await["friendsCount"], 1);
    assert_eq!(profile(&app, &owner, &owner.id).await["friendsCount"], 1);
    assert_eq!(profile(&app, &stranger, &owner.id).await["photosCount"], 0);
}

#[tokio::test]
async fn photos_privacy_hides_photos_count_from_strangers_only() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let friend = person(&app, "Ren", "Sato").await;
    let stranger = person(&app, "Yuki", "Mori").await;
    befriend(&app, &owner, &friend).await;
    set_privacy(&app, &owner, "photos", "friends").await;

    let by_stranger = profile(&app, &stranger, &owner.id).await;
    assert!(by_stranger["photosCount"].is_null(), "{by_stranger}");
    assert_eq!(by_stranger["friendsCount"], 1);
    assert_eq!(profile(&app, &friend, &owner.id).await["photosCount"], 0);
    assert_eq!(profile(&app, &owner, &owner.id).await["photosCount"], 0);
}

#[tokio::test]
async fn an_unknown_user_is_404_user_not_found() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let unknown = uuid::Uuid::now_v7();

    let response = app
        .get(&format!("/api/v1/users/{unknown}"), Some(&me.access_token))
        .await;

    assert_problem(response, 404, "user_not_found").await;
}

#[tokio::test]
async fn a_malformed_id_in_any_people_path_is_a_404_problem() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    for (method, path) in [
        (Method::GET, "/api/v1/users/not-a-uuid"),
        (Method::GET, "/api/v1/users/not-a-uuid/friends"),
        (Method::GET, "/api/v1/users/not-a-uuid/friends/mutual"),
        (Method::POST, "/api/v1/friends/requests/not-a-uuid/accept"),
        (Method::POST, "/api/v1/friends/requests/not-a-uuid/decline"),
        (Method::DELETE, "/api/v1/friends/requests/not-a-uuid"),
        (Method::DELETE, "/api/v1/friends/not-a-uuid"),
        (Method::DELETE, "/api/v1/blocks/not-a-uuid"),
    ] {
        let response = send(&app, method.clone(), path, &me).await;
        assert_eq!(response.status().as_u16(), 404, "{method} {path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("application/problem+json"),
            "{path}: {content_type}"
        );
    }
}

#[tokio::test]
async fn the_profile_of_someone_who_blocked_me_is_404_user_not_found() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let me = person(&app, "Ren", "Sato").await;
    assert_no_content(block(&app, &owner, &me.id).await).await;

    let response = app
        .get(
            &format!("/api/v1/users/{}", owner.id),
            Some(&me.access_token),
        )
        .await;

    assert_problem(response, 404, "user_not_found").await;
}

#[tokio::test]
async fn every_people_endpoint_is_401_unauthenticated_without_a_token() {
    let app = spawn_app().await;
    let someone = person(&app, "Aiko", "Tanaka").await;
    let id = someone.id.as_str();
    let endpoints = [
        (Method::GET, "/api/v1/users/me".to_owned()),
        (Method::PATCH, "/api/v1/users/me".to_owned()),
        (Method::GET, "/api/v1/users/me/settings".to_owned()),
        (Method::PATCH, "/api/v1/users/me/settings".to_owned()),
        (Method::GET, "/api/v1/users/me/suggestions".to_owned()),
        (Method::GET, "/api/v1/users?q=Aiko".to_owned()),
        (Method::GET, format!("/api/v1/users/{id}")),
        (Method::GET, format!("/api/v1/users/{id}/friends")),
        (Method::GET, format!("/api/v1/users/{id}/friends/mutual")),
        (Method::GET, "/api/v1/friends/requests".to_owned()),
        (Method::POST, "/api/v1/friends/requests".to_owned()),
        (
            Method::POST,
            format!("/api/v1/friends/requests/{id}/accept"),
        ),
        (
            Method::POST,
            format!("/api/v1/friends/requests/{id}/decline"),
        ),
        (Method::DELETE, format!("/api/v1/friends/requests/{id}")),
        (Method::DELETE, format!("/api/v1/friends/{id}")),
        (Method::GET, "/api/v1/blocks".to_owned()),
        (Method::POST, "/api/v1/blocks".to_owned()),
        (Method::DELETE, format!("/api/v1/blocks/{id}")),
        (Method::GET, "/api/v1/notifications".to_owned()),
        (Method::GET, "/api/v1/notifications/unread-count".to_owned()),
        (Method::POST, "/api/v1/notifications/read".to_owned()),
    ];

    for (method, path) in endpoints {
        let mut request = app.request(method.clone(), &path);
        if method == Method::POST || method == Method::PATCH {
            request = request.json(&json!({"userId": id, "all": true}));
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{method} {path}");
        assert_problem(response, 401, "unauthenticated").await;
    }
}

use serde_json::{Value, json};

use crate::assert_problem;
use crate::people_support::{get_ok, json_with, patch_settings, person};
use crate::support::{RegisteredUser, TestApp, spawn_app};

const SETTINGS: &str = "/api/v1/users/me/settings";

/// The settings as a fresh account has them.
fn defaults() -> Value {
    json!({"theme": "light", "privacy": {
        "profile": "everyone", "friends": "everyone", "photos": "everyone", "messages": "everyone"}})
}

/// Asserts that PATCH settings with `body` is 422 naming `field`, and that nothing changed.
async fn assert_refused_and_unchanged(
    app: &TestApp,
    user: &RegisteredUser,
    body: Value,
    field: &str,
) {
    let before = get_ok(app, SETTINGS, user).await;
    let problem = assert_problem(
        patch_settings(app, user, body.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&field),
        "{body}: expected {field} in {problem}"
    );
    assert_eq!(
        get_ok(app, SETTINGS, user).await,
        before,
        "{body} changed something"
    );
}

#[tokio::test]
async fn a_new_account_has_light_theme_and_everyone_privacy() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    assert_eq!(get_ok(&app, SETTINGS, &me).await, defaults());
}

#[tokio::test]
async fn patching_the_theme_keeps_the_privacy() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    let patched = json_with(
        patch_settings(&app, &me, json!({"theme": "dark"})).await,
        200,
    )
    .await;

    let mut expected = defaults();
    expected["theme"] = json!("dark");
    assert_eq!(patched, expected);
    assert_eq!(get_ok(&app, SETTINGS, &me).await, expected);
}

#[tokio::test]
async fn patching_one_privacy_key_keeps_the_others_and_the_theme() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    json_with(
        patch_settings(&app, &me, json!({"theme": "dark"})).await,
        200,
    )
    .await;

    let body = json!({"privacy": {"photos": "friends"}});
    let patched = json_with(patch_settings(&app, &me, body).await, 200).await;

    assert_eq!(patched["theme"], "dark");
    assert_eq!(
        patched["privacy"],
        json!({"profile": "everyone", "friends": "everyone", "photos": "friends", "messages": "everyone"})
    );
}

#[tokio::test]
async fn every_privacy_key_takes_friends_and_messages_also_takes_nobody() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    let body = json!({"privacy": {"profile": "friends", "friends": "friends", "photos": "friends", "messages": "nobody"}});
    let patched = json_with(patch_settings(&app, &me, body.clone()).await, 200).await;

    assert_eq!(patched["privacy"], body["privacy"]);
    assert_eq!(
        get_ok(&app, SETTINGS, &me).await["privacy"],
        body["privacy"]
    );
}

#[tokio::test]
async fn nobody_is_refused_for_profile_friends_and_photos() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    for key in ["profile", "friends", "photos"] {
        let body = json!({"privacy": {key: "nobody"}});
        assert_refused_and_unchanged(&app, &me, body, &format!("privacy.{key}")).await;
    }
}

#[tokio::test]
async fn an_unknown_theme_is_422_on_theme() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    assert_refused_and_unchanged(&app, &me, json!({"theme": "sepia"}), "theme").await;
}

#[tokio::test]
async fn one_bad_value_refuses_the_whole_patch() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    let body = json!({"theme": "dark", "privacy": {"profile": "friends", "messages": "sometimes"}});
    assert_refused_and_unchanged(&app, &me, body, "privacy.messages").await;

    assert_eq!(get_ok(&app, SETTINGS, &me).await, defaults());
}

#[tokio::test]
async fn settings_in_force_show_in_my_profile_and_only_mine() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let other = person(&app, "Ren", "Sato").await;

    let body = json!({"theme": "dark", "privacy": {"messages": "friends"}});
    let patched = json_with(patch_settings(&app, &me, body).await, 200).await;

    assert_eq!(
        get_ok(&app, "/api/v1/users/me", &me).await["settings"],
        patched
    );
    assert_eq!(get_ok(&app, SETTINGS, &other).await, defaults());
}

//! Users: unknown people, privacy, and the validation of profile, settings and search.

use serde_json::json;

use crate::support::{World, get, patch_json};

#[actix_web::test]
async fn an_unknown_user_answers_404_user_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let path = format!("/api/v1/users/{}", uuid::Uuid::now_v7());
    world
        .as_user(&aiko, get(&path))
        .await
        .problem(404, "user_not_found");
}

#[actix_web::test]
async fn an_id_that_is_not_a_uuid_answers_404_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world.as_user(&aiko, get("/api/v1/users/not-a-uuid")).await;
    reply.problem(404, "not_found");
}

#[actix_web::test]
async fn a_profile_edit_with_bad_fields_answers_422_naming_each_field() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(
            &aiko,
            patch_json(
                "/api/v1/users/me",
                &json!({"firstName": null, "birthDate": "1 April 1990"}),
            ),
        )
        .await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["firstName", "birthDate"]);
}

#[actix_web::test]
async fn a_setting_of_an_unknown_value_answers_422_naming_it() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(
            &aiko,
            patch_json(
                "/api/v1/users/me/settings",
                &json!({"theme": "purple", "privacy": {"friends": "nobody"}}),
            ),
        )
        .await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["theme", "privacy.friends"]);
}

#[actix_web::test]
async fn a_search_without_a_query_answers_422_naming_q() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world.as_user(&aiko, get("/api/v1/users?q=%20")).await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["q"]);
}

#[actix_web::test]
async fn a_page_size_of_zero_answers_422_naming_limit() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(&aiko, get("/api/v1/users/me/suggestions?limit=0"))
        .await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["limit"]);
}

#[actix_web::test]
async fn friends_hidden_by_privacy_answer_403_privacy_restricted() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let private = world
        .as_user(
            &ren,
            patch_json(
                "/api/v1/users/me/settings",
                &json!({"privacy": {"friends": "friends"}}),
            ),
        )
        .await;
    assert_eq!(private.status, 200, "{}", private.text);
    let path = format!("/api/v1/users/{}/friends", ren.id);
    world
        .as_user(&aiko, get(&path))
        .await
        .problem(403, "privacy_restricted");
}

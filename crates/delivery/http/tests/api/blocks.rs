//! Blocks: blocking myself, an unknown user, and lifting a block that is not there.

use serde_json::json;

use crate::support::{World, delete, get, post_json};

#[actix_web::test]
async fn blocking_answers_204_and_lists_the_blocked_user() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let reply = world
        .as_user(
            &aiko,
            post_json("/api/v1/blocks", &json!({"userId": ren.id})),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    let list = world.as_user(&aiko, get("/api/v1/blocks")).await;
    assert_eq!(list.body["items"][0]["user"]["id"], ren.id.as_str());
}

#[actix_web::test]
async fn blocking_myself_answers_422_cannot_block_self() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    world
        .as_user(
            &aiko,
            post_json("/api/v1/blocks", &json!({"userId": aiko.id})),
        )
        .await
        .problem(422, "cannot_block_self");
}

#[actix_web::test]
async fn blocking_an_unknown_user_answers_404_user_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let someone = uuid::Uuid::now_v7().to_string();
    world
        .as_user(
            &aiko,
            post_json("/api/v1/blocks", &json!({"userId": someone})),
        )
        .await
        .problem(404, "user_not_found");
}

#[actix_web::test]
async fn unblocking_someone_i_did_not_block_answers_404_block_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let path = format!("/api/v1/blocks/{}", ren.id);
    world
        .as_user(&aiko, delete(&path))
        .await
        .problem(404, "block_not_found");
}

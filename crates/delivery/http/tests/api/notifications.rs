//! Notifications: counts, and marking read what is not mine or nothing at all.

use serde_json::json;

use crate::support::{World, get, post_json};

#[actix_web::test]
async fn a_friend_request_shows_as_one_unread_notification() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    world
        .as_user(
            &aiko,
            post_json("/api/v1/friends/requests", &json!({"userId": ren.id})),
        )
        .await;
    let reply = world
        .as_user(&ren, get("/api/v1/notifications/unread-count"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["notifications"], 1);
}

#[actix_web::test]
async fn marking_an_unknown_notification_read_answers_404_notification_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    world
        .as_user(
            &aiko,
            post_json(
                "/api/v1/notifications/read",
                &json!({"ids": [uuid::Uuid::now_v7()]}),
            ),
        )
        .await
        .problem(404, "notification_not_found");
}

#[actix_web::test]
async fn marking_nothing_read_answers_422_naming_ids() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(
            &aiko,
            post_json("/api/v1/notifications/read", &json!({"ids": []})),
        )
        .await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["ids"]);
}

#[actix_web::test]
async fn an_unread_filter_that_is_not_a_boolean_answers_422_naming_unread() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(&aiko, get("/api/v1/notifications?unread=maybe"))
        .await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["unread"]);
}

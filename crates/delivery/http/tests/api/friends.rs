//! Friends: every rule of the friendship transitions as a status and a code.

use serde_json::json;

use crate::support::{User, World, delete, get, post_json};

async fn request(world: &World, from: &User, to: &str) -> crate::support::Reply {
    world
        .as_user(
            from,
            post_json("/api/v1/friends/requests", &json!({"userId": to})),
        )
        .await
}

#[actix_web::test]
async fn a_request_answers_201_and_a_request_back_answers_200_friends() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let sent = request(&world, &aiko, &ren.id).await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    assert_eq!(sent.body["friendship"], "outgoing_request");
    let back = request(&world, &ren, &aiko.id).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(back.body["friendship"], "friends");
}

#[actix_web::test]
async fn a_request_to_myself_answers_422_cannot_befriend_self() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    request(&world, &aiko, &aiko.id)
        .await
        .problem(422, "cannot_befriend_self");
}

#[actix_web::test]
async fn every_verb_on_my_own_id_answers_422_in_its_own_words() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let me = &aiko.id;
    let cases = [
        (
            actix_web::test::TestRequest::post()
                .uri(&format!("/api/v1/friends/requests/{me}/accept")),
            "you cannot accept a friend request from yourself",
        ),
        (
            actix_web::test::TestRequest::post()
                .uri(&format!("/api/v1/friends/requests/{me}/decline")),
            "you cannot decline a friend request from yourself",
        ),
        (
            delete(&format!("/api/v1/friends/requests/{me}")),
            "you cannot cancel a friend request to yourself",
        ),
        (
            delete(&format!("/api/v1/friends/{me}")),
            "you cannot unfriend yourself",
        ),
    ];
    for (request, detail) in cases {
        let reply = world.as_user(&aiko, request).await;
        assert_eq!(reply.problem(422, "cannot_befriend_self")["detail"], detail);
    }
    let reply = request(&world, &aiko, me).await;
    assert_eq!(
        reply.problem(422, "cannot_befriend_self")["detail"],
        "you cannot send a friend request to yourself"
    );
}

#[actix_web::test]
async fn a_request_naming_no_uuid_answers_422_naming_user_id() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = request(&world, &aiko, "someone").await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["userId"]);
}

#[actix_web::test]
async fn a_request_to_an_unknown_user_answers_404_user_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    request(&world, &aiko, &uuid::Uuid::now_v7().to_string())
        .await
        .problem(404, "user_not_found");
}

#[actix_web::test]
async fn asking_twice_answers_409_already_requested() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    request(&world, &aiko, &ren.id).await;
    request(&world, &aiko, &ren.id)
        .await
        .problem(409, "already_requested");
}

#[actix_web::test]
async fn asking_a_friend_answers_409_already_friends() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    request(&world, &aiko, &ren.id).await;
    request(&world, &ren, &aiko.id).await;
    request(&world, &aiko, &ren.id)
        .await
        .problem(409, "already_friends");
}

#[actix_web::test]
async fn asking_someone_who_blocked_me_answers_403_blocked() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let blocked = world
        .as_user(
            &ren,
            post_json("/api/v1/blocks", &json!({"userId": aiko.id})),
        )
        .await;
    assert_eq!(blocked.status, 204, "{}", blocked.text);
    request(&world, &aiko, &ren.id)
        .await
        .problem(403, "blocked");
}

#[actix_web::test]
async fn accepting_a_request_nobody_sent_answers_404_request_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let path = format!("/api/v1/friends/requests/{}/accept", ren.id);
    world
        .as_user(&aiko, post_json(&path, &json!({})))
        .await
        .problem(404, "request_not_found");
}

#[actix_web::test]
async fn unfriending_someone_who_is_no_friend_answers_404_not_friends() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let path = format!("/api/v1/friends/{}", ren.id);
    world
        .as_user(&aiko, delete(&path))
        .await
        .problem(404, "not_friends");
}

#[actix_web::test]
async fn requests_of_an_unknown_direction_answer_422_naming_direction() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(&aiko, get("/api/v1/friends/requests?direction=sideways"))
        .await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["direction"]);
}

//! Photos: what an upload may be (413, 415, 422), whose photo it is (403), what exists (404) and
//! a blob store outage (503).

use serde_json::json;

use crate::support::{User, World, delete, get, post_json, put_json, upload};

async fn uploaded(world: &World, owner: &User) -> String {
    let reply = world.as_user(owner, upload(b"img of a cat", None)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn an_upload_answers_201_with_the_photo() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world
        .as_user(&aiko, upload(b"img of a cat", Some("Neko")))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["caption"], "Neko");
    assert_eq!(reply.body["ownerId"], aiko.id.as_str());
}

#[actix_web::test]
async fn a_file_that_is_no_image_answers_415_unsupported_image_type() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    world
        .as_user(&aiko, upload(b"%PDF-1.7", None))
        .await
        .problem(415, "unsupported_image_type");
}

#[actix_web::test]
async fn an_image_of_too_many_pixels_answers_413_image_too_large() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    world
        .as_user(&aiko, upload(b"bomb", None))
        .await
        .problem(413, "image_too_large");
}

#[actix_web::test]
async fn a_file_over_10_mib_answers_413_payload_too_large() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let mut big = b"img".to_vec();
    big.resize(10 * 1024 * 1024 + 1, 0);
    world
        .as_user(&aiko, upload(&big, None))
        .await
        .problem(413, "payload_too_large");
}

#[actix_web::test]
async fn an_upload_that_is_not_multipart_answers_415_unsupported_media_type() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    world
        .as_user(&aiko, post_json("/api/v1/photos", &json!({"file": "img"})))
        .await
        .problem(415, "unsupported_media_type");
}

#[actix_web::test]
async fn an_upload_without_a_body_or_as_text_answers_415_unsupported_media_type() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let bare = actix_web::test::TestRequest::post().uri("/api/v1/photos");
    world
        .as_user(&aiko, bare)
        .await
        .problem(415, "unsupported_media_type");
    let text = actix_web::test::TestRequest::post()
        .uri("/api/v1/photos")
        .insert_header(("content-type", "text/plain"))
        .set_payload("a photo");
    world
        .as_user(&aiko, text)
        .await
        .problem(415, "unsupported_media_type");
    let mixed = actix_web::test::TestRequest::post()
        .uri("/api/v1/photos")
        .insert_header(("content-type", "multipart/mixed; boundary=x"))
        .set_payload("--x--\r\n");
    world
        .as_user(&aiko, mixed)
        .await
        .problem(415, "unsupported_media_type");
}

#[actix_web::test]
async fn an_empty_file_answers_422_naming_file() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let reply = world.as_user(&aiko, upload(b"", None)).await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["file"]);
}

#[actix_web::test]
async fn an_upload_while_the_blob_store_is_down_answers_503_service_unavailable() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    world.blobs.fail_all_puts(true);
    world
        .as_user(&aiko, upload(b"img of a cat", None))
        .await
        .problem(503, "service_unavailable");
    assert!(world.photos.all().is_empty());
}

#[actix_web::test]
async fn an_unknown_photo_answers_404_photo_not_found() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let path = format!("/api/v1/photos/{}", uuid::Uuid::now_v7());
    world
        .as_user(&aiko, get(&path))
        .await
        .problem(404, "photo_not_found");
}

#[actix_web::test]
async fn deleting_someone_elses_photo_answers_403_forbidden() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let photo = uploaded(&world, &ren).await;
    let path = format!("/api/v1/photos/{photo}");
    world
        .as_user(&aiko, delete(&path))
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn someone_elses_photo_as_my_avatar_answers_403_forbidden() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let photo = uploaded(&world, &ren).await;
    world
        .as_user(
            &aiko,
            put_json("/api/v1/users/me/avatar", &json!({"photoId": photo})),
        )
        .await
        .problem(403, "forbidden");
}

#[actix_web::test]
async fn photos_hidden_by_privacy_answer_403_privacy_restricted() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let ren = world.register("Ren").await;
    let private = world
        .as_user(
            &ren,
            crate::support::patch_json(
                "/api/v1/users/me/settings",
                &json!({"privacy": {"photos": "friends"}}),
            ),
        )
        .await;
    assert_eq!(private.status, 200, "{}", private.text);
    let path = format!("/api/v1/users/{}/photos", ren.id);
    world
        .as_user(&aiko, get(&path))
        .await
        .problem(403, "privacy_restricted");
}

#[actix_web::test]
async fn an_unknown_media_key_answers_404_not_found() {
    let world = World::new();
    world
        .call(get("/media/no-such-key.jpg"))
        .await
        .problem(404, "not_found");
}

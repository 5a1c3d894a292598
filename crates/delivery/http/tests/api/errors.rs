//! What every endpoint shares: unknown routes and methods, and JSON bodies that are not.

use actix_web::http::header;
use actix_web::test::TestRequest;

use crate::support::World;

#[actix_web::test]
async fn an_unknown_route_answers_404_not_found() {
    let world = World::new();
    world
        .call(TestRequest::get().uri("/api/v1/nowhere"))
        .await
        .problem(404, "not_found");
}

#[actix_web::test]
async fn a_known_path_with_the_wrong_method_answers_405_method_not_allowed() {
    let world = World::new();
    world
        .call(TestRequest::get().uri("/api/v1/auth/login"))
        .await
        .problem(405, "method_not_allowed");
}

#[actix_web::test]
async fn a_body_that_is_not_json_answers_415_unsupported_media_type() {
    let world = World::new();
    world
        .call(
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header((header::CONTENT_TYPE, "text/plain"))
                .set_payload("email=aiko"),
        )
        .await
        .problem(415, "unsupported_media_type");
}

#[actix_web::test]
async fn broken_json_answers_400_malformed_json() {
    let world = World::new();
    world
        .call(
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .set_payload("{\"email\": "),
        )
        .await
        .problem(400, "malformed_json");
}

#[actix_web::test]
async fn json_of_the_wrong_type_answers_422_naming_the_field() {
    let world = World::new();
    let reply = world
        .call(
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .set_payload(r#"{"email": 7, "password": "katana123"}"#),
        )
        .await;
    reply.problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["email"]);
}

#[actix_web::test]
async fn a_body_over_64_kib_answers_413_payload_too_large() {
    let world = World::new();
    let body = format!(r#"{{"email": "{}"}}"#, "a".repeat(65 * 1024));
    world
        .call(
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .set_payload(body),
        )
        .await
        .problem(413, "payload_too_large");
}

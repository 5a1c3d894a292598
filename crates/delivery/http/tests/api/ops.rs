//! Ops: readiness, metrics and the OpenAPI document every feature contributes to.

use crate::support::{World, get};

#[actix_web::test]
async fn readiness_answers_200_while_every_dependency_answers() {
    let world = World::new();
    let reply = world.call(get("/health/ready")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["checks"]["redis"], "up");
}

#[actix_web::test]
async fn readiness_answers_503_dependency_unavailable_naming_the_one_down() {
    let world = World::new();
    world.redis.set_down(true);
    let reply = world.call(get("/health/ready")).await;
    let body = reply.problem(503, "dependency_unavailable");
    assert_eq!(body["checks"]["redis"], "down");
}

#[actix_web::test]
async fn metrics_count_requests_by_route_and_status() {
    let world = World::new();
    world.call(get("/health/live")).await;
    let reply = world.call(get("/metrics")).await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.text.contains(
            r#"sakura_http_requests_total{method="GET",route="/health/live",status="200"} 1"#
        ),
        "{}",
        reply.text
    );
}

#[actix_web::test]
async fn the_openapi_document_holds_every_features_paths_and_tags() {
    let world = World::new();
    let reply = world.call(get("/api-docs/openapi.json")).await;
    assert_eq!(reply.status, 200);
    let paths = reply.body["paths"].as_object().unwrap();
    for path in [
        "/health/ready",
        "/api/v1/auth/register",
        "/api/v1/users/{id}",
        "/api/v1/friends/requests",
        "/api/v1/blocks/{userId}",
        "/api/v1/photos",
        "/media/{key}",
        "/api/v1/notifications/read",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    let tags: Vec<&str> = reply.body["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for tag in [
        "auth",
        "users",
        "friends",
        "blocks",
        "notifications",
        "photos",
        "ops",
    ] {
        assert!(tags.contains(&tag), "tag {tag} missing");
    }
    let schemas = reply.body["components"]["schemas"].as_object().unwrap();
    for schema in [
        "Problem",
        "FieldError",
        "UserDto",
        "Page_PhotoDto",
        "Health",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema} missing");
    }
}

//! The OpenAPI document: what a client generator needs from it, and that it matches the routes.

use serde_json::Value;

use crate::support::{World, get};

async fn document() -> Value {
    let reply = World::new().call(get("/api-docs/openapi.json")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

#[actix_web::test]
async fn dump() {
    let doc = document().await;
    std::fs::write(
        "/tmp/oa/openapi.json",
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();
}

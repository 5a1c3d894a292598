//! Every JSON body the OpenAPI document describes, sent in shapes it does not allow: a body that
//! is not an object, and each property with a value of another JSON type. Each must be refused
//! with a problem (422, never applied), in words about JSON, not Rust.
//!
//! The operations come from the document itself, so a new endpoint is covered when it is added.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::support::{World, get};

/// Words of Rust, not of the API, that serde puts in its messages.
const RUST_WORDS: &[&str] = &[
    "struct", "enum ", "Request", "Patch", "Dto", "sequence", " map", "usize", "u32", "u64", "i64",
    "Option", "String",
];

fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(document, &document["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// The JSON types a schema allows (`object` when it has properties but no type).
fn types(document: &Value, schema: &Value) -> Vec<String> {
    let schema = resolve(document, schema);
    let mut found: Vec<String> = match &schema["type"] {
        Value::String(one) => vec![one.clone()],
        Value::Array(many) => many
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    for combinator in ["oneOf", "anyOf", "allOf"] {
        for member in schema[combinator].as_array().into_iter().flatten() {
            found.extend(types(document, member));
        }
    }
    if found.is_empty() && (schema.get("properties").is_some() || schema.get("enum").is_some()) {
        found.push(
            if schema.get("enum").is_some() {
                "string"
            } else {
                "object"
            }
            .to_owned(),
        );
    }
    found
}

/// Values of JSON types the schema does not allow.
fn wrong_values(allowed: &[String]) -> Vec<Value> {
    let allows = |t: &str| {
        allowed
            .iter()
            .any(|a| a == t || (t == "integer" && a == "number"))
    };
    [
        ("array", json!(["x"])),
        ("object", json!({"x": 1})),
        ("integer", json!(5)),
        ("string", json!("x")),
        ("boolean", json!(true)),
    ]
    .into_iter()
    .filter(|(kind, _)| !allows(kind))
    .map(|(_, value)| value)
    .collect()
}

fn request(method: &str, path: &str, body: &[u8]) -> TestRequest {
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("a method");
    TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("content-type", "application/json"))
        .set_payload(body.to_vec())
}

fn assert_plain_words(problem: &Value, what: &str) {
    let mut texts = vec![problem["detail"].as_str().unwrap_or_default().to_owned()];
    for error in problem["errors"].as_array().into_iter().flatten() {
        texts.push(error["message"].as_str().unwrap_or_default().to_owned());
    }
    for text in texts {
        for word in RUST_WORDS {
            assert!(
                !text.contains(word),
                "{what}: {text:?} names Rust's {word:?}"
            );
        }
    }
}

#[actix_web::test]
async fn no_json_body_accepts_another_shape_or_answers_in_rust_terms() {
    let world = World::new();
    let aiko = world.register("Aiko").await;
    let document = world.call(get("/api-docs/openapi.json")).await.body;
    let any_id = uuid::Uuid::now_v7().to_string();
    let mut checked = 0;
    for (path, operations) in document["paths"].as_object().expect("paths") {
        let concrete: String = path
            .split('/')
            .map(|part| {
                if part.starts_with('{') {
                    any_id.as_str()
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for (method, operation) in operations.as_object().expect("operations") {
            let Some(schema) = operation.pointer("/requestBody/content/application~1json/schema")
            else {
                continue;
            };
            checked += 1;
            let mut bodies: Vec<Value> = vec![
                json!(null),
                json!([]),
                json!(["Zed"]),
                json!(5),
                json!("Zed"),
                json!(true),
            ];
            let object = resolve(&document, schema);
            for (property, property_schema) in
                object["properties"].as_object().into_iter().flatten()
            {
                for wrong in wrong_values(&types(&document, property_schema)) {
                    bodies.push(json!({ property: wrong }));
                }
            }
            for body in bodies {
                let what = format!("{method} {path} with {body}");
                let reply = world
                    .as_user(
                        &aiko,
                        request(method, &concrete, body.to_string().as_bytes()),
                    )
                    .await;
                let problem = reply.problem(422, "validation_failed");
                assert_plain_words(problem, &what);
            }
            let what = format!("{method} {path} with broken JSON");
            let reply = world.as_user(&aiko, request(method, &concrete, b"{")).await;
            assert_plain_words(reply.problem(400, "malformed_json"), &what);
        }
    }
    assert!(
        checked >= 10,
        "only {checked} JSON-body operations in the document"
    );
}

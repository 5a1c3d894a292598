//! The OpenAPI document clients are generated from: typed parameters, enums, a constructible
//! `Problem`, required fields with their rules, every status and header an operation answers,
//! examples, and that it is valid OpenAPI 3.1 listing exactly the routes the app serves.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use crate::support::{World, get};

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

async fn document() -> Value {
    let reply = World::new().call(get("/api-docs/openapi.json")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

/// `value`, or what its `$ref` points at.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let target = doc
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling {reference}"));
            resolve(doc, target)
        }
        None => value,
    }
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "schema {name} missing");
    schema
}

/// A property's schema, through `$ref`s and a nullable `oneOf`.
fn property<'a>(doc: &'a Value, schema_name: &str, property: &str) -> &'a Value {
    let value = &schema(doc, schema_name)["properties"][property];
    assert!(value.is_object(), "{schema_name}.{property} missing");
    let value = resolve(doc, value);
    match value["oneOf"].as_array() {
        Some(options) => options
            .iter()
            .map(|o| resolve(doc, o))
            .find(|o| o["type"] != "null")
            .unwrap_or(value),
        None => value,
    }
}

/// Every operation: (path, method, operation).
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(*method) {
                all.push((path.clone(), (*method).to_owned(), operation));
            }
        }
    }
    assert!(all.len() > 30, "only {} operations", all.len());
    all
}

fn response<'a>(doc: &'a Value, operation: &'a Value, status: &str) -> Option<&'a Value> {
    operation["responses"]
        .get(status)
        .map(|response| resolve(doc, response))
}

fn enum_values(schema: &Value) -> Vec<&str> {
    schema["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("not an enum: {schema}"))
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

fn parameter<'a>(operation: &'a Value, name: &str) -> &'a Value {
    operation["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

#[actix_web::test]
async fn limit_is_an_integer_from_1_to_100_wherever_a_list_takes_it() {
    let doc = document().await;
    let mut lists = 0;
    for (path, method, operation) in operations(&doc) {
        let Some(params) = operation["parameters"].as_array() else {
            continue;
        };
        for param in params.iter().filter(|p| p["name"] == "limit") {
            lists += 1;
            let schema = &param["schema"];
            assert_eq!(schema["type"], "integer", "{method} {path}: {param}");
            assert_eq!(schema["minimum"], 1, "{method} {path}");
            assert_eq!(schema["maximum"], 100, "{method} {path}");
            assert_eq!(param["required"], false, "{method} {path}");
        }
    }
    assert!(lists >= 8, "limit on only {lists} lists");
}

#[actix_web::test]
async fn direction_unread_cursor_and_q_have_the_types_they_are_parsed_as() {
    let doc = document().await;
    let requests = &doc["paths"]["/api/v1/friends/requests"]["get"];
    let direction = resolve(&doc, &parameter(requests, "direction")["schema"]);
    assert_eq!(enum_values(direction), ["incoming", "outgoing"]);
    let cursor = &parameter(requests, "cursor")["schema"];
    assert_eq!(cursor["type"], "string");
    let notifications = &doc["paths"]["/api/v1/notifications"]["get"];
    assert_eq!(
        parameter(notifications, "unread")["schema"]["type"],
        "boolean"
    );
    let search = parameter(&doc["paths"]["/api/v1/users"]["get"], "q");
    assert_eq!(search["required"], true);
    assert_eq!(search["schema"]["type"], "string");
    assert_eq!(search["schema"]["maxLength"], 100);
}

#[actix_web::test]
async fn ids_in_paths_and_bodies_are_uuids() {
    let doc = document().await;
    for (path, method, operation) in operations(&doc) {
        let Some(params) = operation["parameters"].as_array() else {
            continue;
        };
        for param in params.iter().filter(|p| p["in"] == "path") {
            // `/media/{key}` is a key, a reaction's `{emoji}` an emoji, and `/users/{id}/...`
            // lists also take `me`.
            let takes_me = param["description"]
                .as_str()
                .is_some_and(|d| d.contains("`me`"));
            if param["name"] == "key" || param["name"] == "emoji" || takes_me {
                continue;
            }
            assert_eq!(
                param["schema"]["format"], "uuid",
                "{method} {path}: {param}"
            );
        }
    }
    assert_eq!(property(&doc, "UserRef", "userId")["format"], "uuid");
    assert_eq!(property(&doc, "AvatarRequest", "photoId")["format"], "uuid");
    assert_eq!(property(&doc, "UserDto", "id")["format"], "uuid");
}

#[actix_web::test]
async fn every_fixed_set_of_values_is_an_enum() {
    let doc = document().await;
    let levels = ["everyone", "friends"];
    let messages = ["everyone", "friends", "nobody"];
    for (schema_name, field, values) in [
        ("SettingsDto", "theme", &["light", "dark"][..]),
        ("UpdateSettingsRequest", "theme", &["light", "dark"][..]),
        ("PrivacyDto", "profile", &levels[..]),
        ("PrivacyDto", "friends", &levels[..]),
        ("PrivacyDto", "photos", &levels[..]),
        ("PrivacyDto", "messages", &messages[..]),
        ("PrivacyPatchRequest", "profile", &levels[..]),
        ("PrivacyPatchRequest", "friends", &levels[..]),
        ("PrivacyPatchRequest", "photos", &levels[..]),
        ("PrivacyPatchRequest", "messages", &messages[..]),
        (
            "NotificationDto",
            "kind",
            &[
                "friend_request",
                "friend_accepted",
                "post_liked",
                "post_commented",
                "chat_added",
            ][..],
        ),
        ("SubjectDto", "type", &["user", "post", "chat"][..]),
        (
            "UserDto",
            "friendship",
            &[
                "self",
                "none",
                "outgoing_request",
                "incoming_request",
                "friends",
                "blocked",
            ][..],
        ),
        (
            "FriendRequestDto",
            "direction",
            &["incoming", "outgoing"][..],
        ),
        (
            "FriendshipStatusDto",
            "direction",
            &["incoming", "outgoing"][..],
        ),
        ("HealthChecks", "redis", &["up", "down"][..]),
        ("HealthChecks", "postgres", &["up", "down"][..]),
    ] {
        assert_eq!(
            enum_values(property(&doc, schema_name, field)),
            values,
            "{schema_name}.{field}"
        );
    }
}

#[actix_web::test]
async fn problem_is_a_plain_object_a_client_can_build() {
    let doc = document().await;
    let problem = schema(&doc, "Problem");
    for composite in ["allOf", "oneOf", "anyOf"] {
        assert!(problem.get(composite).is_none(), "{composite} in {problem}");
    }
    assert_eq!(problem["type"], "object");
    let required: BTreeSet<&str> = problem["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        required,
        BTreeSet::from(["type", "title", "status", "detail", "code"])
    );
    assert_eq!(property(&doc, "Problem", "type")["type"], "string");
    assert_eq!(property(&doc, "Problem", "status")["type"], "integer");
    let errors = property(&doc, "Problem", "errors");
    assert_eq!(errors["type"], "array", "errors is never null: {errors}");
    assert_eq!(
        resolve(&doc, &errors["items"])["required"],
        json!(["field", "message"])
    );
    let checks = property(&doc, "Problem", "checks");
    assert!(checks["properties"]["redis"].is_object(), "{checks}");
}

#[actix_web::test]
async fn health_checks_name_each_dependency() {
    let doc = document().await;
    let checks = property(&doc, "Health", "checks");
    assert_eq!(checks["type"], "object");
    for dependency in ["postgres", "redis"] {
        assert!(checks["properties"][dependency].is_object(), "{checks}");
    }
}

#[actix_web::test]
async fn media_is_binary_under_image_with_its_cache_headers() {
    let doc = document().await;
    let media = &doc["paths"]["/media/{key}"]["get"];
    let ok = response(&doc, media, "200").unwrap();
    let body = resolve(&doc, &ok["content"]["image/*"]["schema"]);
    assert_eq!(body["type"], "string", "{body}");
    assert_eq!(body["format"], "binary", "{body}");
    for status in ["200", "304"] {
        let headers = &response(&doc, media, status).unwrap()["headers"];
        assert!(headers["ETag"].is_object(), "{status}: {headers}");
        assert!(headers["Cache-Control"].is_object(), "{status}: {headers}");
    }
}

/// The schemas of every request body, by operation.
fn request_bodies(doc: &Value) -> Vec<(String, &Value)> {
    operations(doc)
        .into_iter()
        .filter_map(|(path, method, operation)| {
            let content = &operation["requestBody"]["content"];
            let media = content
                .get("application/json")
                .or_else(|| content.get("multipart/form-data"))?;
            Some((format!("{method} {path}"), resolve(doc, &media["schema"])))
        })
        .collect()
}

/// An optional body (`Option<T>`) is a `oneOf` of `T` and null.
fn object_schema<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["oneOf"].as_array() {
        Some(options) => options
            .iter()
            .map(|o| resolve(doc, o))
            .find(|o| o["type"] != "null")
            .unwrap(),
        None => schema,
    }
}

#[actix_web::test]
async fn request_bodies_list_their_required_fields_and_no_field_defaults_to_empty() {
    let doc = document().await;
    for (name, fields) in [
        (
            "RegisterRequest",
            &["firstName", "lastName", "email", "password"][..],
        ),
        ("LoginRequest", &["email", "password"][..]),
        (
            "ChangePasswordRequest",
            &["currentPassword", "newPassword"][..],
        ),
        ("UserRef", &["userId"][..]),
        ("AvatarRequest", &["photoId"][..]),
        ("UploadForm", &["file"][..]),
    ] {
        assert_eq!(schema(&doc, name)["required"], json!(fields), "{name}");
    }
    for (operation, body) in request_bodies(&doc) {
        let body = object_schema(&doc, body);
        for (field, property) in body["properties"].as_object().unwrap() {
            assert!(
                property.get("default").is_none(),
                "{operation}: {field} has a default ({property}), so generators make it optional"
            );
        }
    }
}

#[actix_web::test]
async fn request_bodies_carry_the_rules_a_client_can_check_before_sending() {
    let doc = document().await;
    let password = property(&doc, "RegisterRequest", "password");
    assert_eq!(password["minLength"], 8);
    assert_eq!(password["maxLength"], 72);
    assert!(password["pattern"].is_string(), "{password}");
    assert_eq!(
        property(&doc, "ChangePasswordRequest", "newPassword")["pattern"],
        password["pattern"]
    );
    for name in ["RegisterRequest", "UpdateMeRequest"] {
        for field in ["firstName", "lastName"] {
            let rule = property(&doc, name, field);
            assert_eq!(rule["minLength"], 1, "{name}.{field}");
            assert_eq!(rule["maxLength"], 50, "{name}.{field}");
            assert!(rule["pattern"].is_string(), "{name}.{field}");
        }
    }
    assert_eq!(property(&doc, "RegisterRequest", "email")["maxLength"], 254);
    assert_eq!(property(&doc, "UpdateMeRequest", "bio")["maxLength"], 500);
    assert_eq!(property(&doc, "UpdateMeRequest", "city")["maxLength"], 100);
    assert_eq!(
        property(&doc, "UpdatePhotoRequest", "caption")["maxLength"],
        2000
    );
    assert_eq!(property(&doc, "MarkReadRequest", "ids")["maxItems"], 500);
}

#[actix_web::test]
async fn every_json_body_operation_documents_400_413_415_and_422() {
    let doc = document().await;
    let mut checked = 0;
    for (path, method, operation) in operations(&doc) {
        if operation
            .pointer("/requestBody/content/application~1json")
            .is_none()
        {
            continue;
        }
        checked += 1;
        for status in ["400", "413", "415", "422"] {
            assert!(
                response(&doc, operation, status).is_some(),
                "{method} {path} lacks {status}"
            );
        }
    }
    // Register, login, refresh, logout, password, me, settings, avatar, friend request, block,
    // photo caption, mark read; the messenger's create, rename, add member, send, edit and
    // mark read.
    assert_eq!(checked, 18);
    let malformed = response(&doc, &doc["paths"]["/api/v1/auth/refresh"]["post"], "400").unwrap();
    assert_eq!(
        malformed["content"]["application/problem+json"]["example"]["code"],
        "malformed_json"
    );
}

#[actix_web::test]
async fn every_operation_with_query_parameters_documents_422() {
    let doc = document().await;
    for (path, method, operation) in operations(&doc) {
        let has_query = operation["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if has_query {
            assert!(
                response(&doc, operation, "422").is_some(),
                "{method} {path} lacks 422"
            );
        }
    }
}

#[actix_web::test]
async fn every_authenticated_operation_documents_401_with_www_authenticate() {
    let doc = document().await;
    for (path, method, operation) in operations(&doc) {
        let bearer = operation["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        if !bearer {
            continue;
        }
        let unauthorized =
            response(&doc, operation, "401").unwrap_or_else(|| panic!("{method} {path} lacks 401"));
        assert!(
            unauthorized["headers"]["WWW-Authenticate"].is_object(),
            "{method} {path}"
        );
    }
}

#[actix_web::test]
async fn every_operation_but_liveness_and_metrics_documents_503() {
    let doc = document().await;
    for (path, method, operation) in operations(&doc) {
        let documented = response(&doc, operation, "503").is_some();
        let reaches_a_dependency = !["/health/live", "/metrics"].contains(&path.as_str());
        assert_eq!(documented, reaches_a_dependency, "{method} {path}");
    }
}

#[actix_web::test]
async fn the_friend_verbs_document_422_for_my_own_id() {
    let doc = document().await;
    for (path, method) in [
        ("/api/v1/friends/requests", "post"),
        ("/api/v1/friends/requests/{userId}/accept", "post"),
        ("/api/v1/friends/requests/{userId}/decline", "post"),
        ("/api/v1/friends/requests/{userId}", "delete"),
        ("/api/v1/friends/{userId}", "delete"),
    ] {
        let answer = response(&doc, &doc["paths"][path][method], "422")
            .unwrap_or_else(|| panic!("{method} {path} lacks 422"));
        assert!(
            answer["description"]
                .as_str()
                .unwrap()
                .contains("cannot_befriend_self"),
            "{method} {path}"
        );
    }
    let upload = &doc["paths"]["/api/v1/photos"]["post"];
    for status in ["400", "413", "415", "422"] {
        assert!(
            response(&doc, upload, status).is_some(),
            "upload lacks {status}"
        );
    }
}

#[actix_web::test]
async fn rate_limited_operations_document_429_with_retry_after() {
    let doc = document().await;
    for path in ["/api/v1/auth/login", "/api/v1/auth/password"] {
        let limited = response(&doc, &doc["paths"][path]["post"], "429")
            .unwrap_or_else(|| panic!("{path} lacks 429"));
        assert_eq!(
            limited["headers"]["Retry-After"]["schema"]["type"],
            "integer"
        );
    }
}

#[actix_web::test]
async fn token_answers_and_logouts_document_set_cookie() {
    let doc = document().await;
    for (path, status) in [
        ("/api/v1/auth/register", "201"),
        ("/api/v1/auth/login", "200"),
        ("/api/v1/auth/refresh", "200"),
        ("/api/v1/auth/logout", "204"),
        ("/api/v1/auth/logout-all", "204"),
    ] {
        let answer = response(&doc, &doc["paths"][path]["post"], status).unwrap();
        assert!(
            answer["headers"]["Set-Cookie"].is_object(),
            "{path} {status}"
        );
    }
}

#[actix_web::test]
async fn every_answer_documents_x_request_id() {
    let doc = document().await;
    for (path, method, operation) in operations(&doc) {
        for (status, answer) in operation["responses"].as_object().unwrap() {
            let answer = resolve(&doc, answer);
            assert!(
                answer["headers"]["x-request-id"].is_object(),
                "{method} {path} {status}"
            );
        }
    }
}

/// Whether every leaf of `schema` has an example: its own, an enum's, or one of each property.
fn exemplified(doc: &Value, schema: &Value, at: &str, missing: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if schema.get("example").is_some() || schema.get("examples").is_some() {
        return;
    }
    // An enum's first value and `false` are ready to send; a file is picked, not typed.
    if schema.get("enum").is_some() || schema["type"] == "boolean" || schema["format"] == "binary" {
        return;
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["allOf"].as_array()) {
        for option in options.iter().filter(|o| o["type"] != "null") {
            exemplified(doc, option, at, missing);
        }
        return;
    }
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            exemplified(doc, property, &format!("{at}.{name}"), missing);
        }
        return;
    }
    if schema.get("items").is_some() {
        return exemplified(doc, &schema["items"], &format!("{at}[]"), missing);
    }
    missing.push(at.to_owned());
}

#[actix_web::test]
async fn request_bodies_and_main_answers_have_examples_ready_to_send() {
    let doc = document().await;
    let mut missing = Vec::new();
    for (operation, body) in request_bodies(&doc) {
        exemplified(&doc, body, &operation, &mut missing);
    }
    for (path, method, operation) in operations(&doc) {
        for status in ["200", "201"] {
            if let Some(answer) = response(&doc, operation, status)
                && let Some(body) = answer["content"].get("application/json")
            {
                exemplified(
                    &doc,
                    &body["schema"],
                    &format!("{method} {path} {status}"),
                    &mut missing,
                );
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no example for:\n{}",
        missing.join("\n")
    );
}

#[actix_web::test]
async fn swagger_ui_keeps_the_bearer_token_across_reloads() {
    let reply = World::new()
        .call(get("/swagger-ui/swagger-initializer.js"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let config: String = reply.text.split_whitespace().collect();
    assert!(
        config.contains(r#""persistAuthorization":true"#),
        "{}",
        reply.text
    );
}

/// The resource patterns the app registered, from actix's own resource map.
async fn registered_patterns() -> BTreeSet<String> {
    async fn routes(req: HttpRequest) -> HttpResponse {
        HttpResponse::Ok().body(format!("{:?}", req.resource_map()))
    }
    let reply = World::new()
        .call_with(
            |cfg| {
                cfg.route("/__routes", web::get().to(routes));
            },
            get("/__routes"),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut patterns = BTreeSet::new();
    for piece in reply.text.split("Single(\"").skip(1) {
        let pattern = piece.split("\")").next().unwrap();
        if pattern.is_empty()
            || pattern == "/__routes"
            || pattern.starts_with("/swagger-ui")
            || pattern.starts_with("/api-docs")
        {
            continue;
        }
        patterns.insert(pattern.to_owned());
    }
    assert!(
        patterns.len() > 20,
        "resource map read wrong: {}",
        reply.text
    );
    patterns
}

/// `/api/v1/users/{id}/friends` → `/api/v1/users/{}/friends`: parameter names differ between
/// routes and the document.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether the app routes `method` on `pattern` to a handler: anything but actix's 405 or the
/// 404 of unknown routes.
async fn routed(world: &World, pattern: &str, method: &str) -> bool {
    let uri = shape(pattern).replace("{}", "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f");
    let request = actix_web::test::TestRequest::default()
        .method(method.to_uppercase().parse().unwrap())
        .uri(&uri)
        .set_json(json!({}));
    let reply = world.call(request).await;
    !(reply.status == 405 || (reply.status == 404 && reply.body["detail"] == "no such endpoint"))
}

#[actix_web::test]
async fn the_document_lists_every_route_the_app_serves_and_nothing_else() {
    let doc = document().await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(path, method, _)| (shape(&path), method))
        .collect();
    let world = World::new();
    let mut served = BTreeSet::new();
    for pattern in registered_patterns().await {
        for method in METHODS {
            if routed(&world, &pattern, method).await {
                served.insert((shape(&pattern), (*method).to_owned()));
            }
        }
    }
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "served, not documented: {undocumented:?}"
    );
    assert!(unserved.is_empty(), "documented, not served: {unserved:?}");
}

/// Writes the document where the TypeScript check and the validator read it.
async fn write_document(dir: &Path) -> std::path::PathBuf {
    let doc = document().await;
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    file
}

/// Runs `command`, failing the test with its output unless it succeeds.
fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Set to skip the checks that need tools outside Rust (Python's openapi-spec-validator, Node).
const SKIP: &str = "SAKURA_SKIP_OPENAPI_TOOLS";

#[actix_web::test]
async fn the_document_validates_as_openapi_3_1() {
    if std::env::var_os(SKIP).is_some() {
        eprintln!("skipped: {SKIP} is set");
        return;
    }
    let dir = std::env::temp_dir().join(format!("sakura-openapi-{}", std::process::id()));
    let file = write_document(&dir).await;
    let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    run(
        Command::new("python3")
            .args(["-m", "openapi_spec_validator"])
            .arg(&file),
        "openapi-spec-validator (pip install openapi-spec-validator; .ci/run installs it)",
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[actix_web::test]
async fn a_typescript_client_generated_from_the_document_compiles() {
    if std::env::var_os(SKIP).is_some() {
        eprintln!("skipped: {SKIP} is set");
        return;
    }
    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/client");
    write_document(&client).await;
    if !client.join("node_modules/.package-lock.json").exists() {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefer-offline"])
                .current_dir(&client),
            "npm ci (Node.js and npm are needed)",
        );
    }
    let bin = client.join("node_modules/.bin");
    run(
        Command::new(bin.join("openapi-typescript"))
            .args(["openapi.json", "-o", "schema.d.ts"])
            .current_dir(&client),
        "openapi-typescript",
    );
    run(
        Command::new(bin.join("tsc"))
            .args(["-p", "tsconfig.json"])
            .current_dir(&client),
        "tsc --strict on tests/client/client.ts",
    );
}

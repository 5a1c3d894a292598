//! The OpenAPI document, generated from the handlers so it cannot drift from them: each feature
//! contributes its fragment (paths, schemas, tag), merged here under the shared parts; then the
//! answers every operation of a kind shares are added by rule (see [`shared_responses`]).

use serde_json::{Map, Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::FEATURES;
use sakura_wire::{DependencyState, HealthChecks};

use crate::problem::{FieldError, PROBLEM_JSON, Problem};
use crate::telemetry::REQUEST_ID;

/// What every feature shares: the description, the error body and the bearer scheme.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sakura API",
        description = "The HTTP API of Sakura, a social network. Errors are RFC 9457 problem details with a stable `code`. Realtime events travel over the WebSocket at `/ws` (see docs/realtime.md in the repository)."
    ),
    components(schemas(Problem, FieldError, HealthChecks, DependencyState)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Sakura's HTTP API: the shared parts, each feature's fragment in [`FEATURES`] order, then the
/// shared answers.
pub(crate) fn document() -> Value {
    let mut document = ApiDoc::openapi();
    for feature in FEATURES {
        document.merge((feature.openapi)());
    }
    // utoipa's types hide some of what the rules read (who an operation's security names), and
    // the JSON is what is served: the rules work on it.
    let mut document = serde_json::to_value(document).unwrap_or_else(|error| {
        tracing::error!(error = %error, "the OpenAPI document does not serialise");
        Value::Null
    });
    shared_responses(&mut document);
    document
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Paths whose handlers reach neither PostgreSQL, Redis nor the blob store: the only ones that
/// never answer 503 `service_unavailable`.
const NO_DEPENDENCY: &[&str] = &["/health/live", "/metrics"];

/// A shared answer: its status, its name under `components/responses`, and when it applies.
struct Shared {
    status: &'static str,
    name: &'static str,
    description: &'static str,
    example: (&'static str, &'static str),
    applies: fn(&Facts) -> bool,
}

/// What the rules read off an operation.
struct Facts<'a> {
    path: &'a str,
    /// It takes a JSON body (`ValidJson` or `OptionalJson`).
    json_body: bool,
    /// It has query parameters (each parsed, a bad one is a 422).
    query: bool,
    /// It may be called with a bearer token (`Authenticated`).
    bearer: bool,
}

/// The answers the extractors and the error mapping give on every operation of a kind. An
/// operation that documents the status itself (with its own codes) keeps its own.
const SHARED: &[Shared] = &[
    Shared {
        status: "400",
        name: "MalformedJson",
        description: "`malformed_json`: the body is not valid JSON",
        example: (
            "malformed_json",
            "the body is not valid JSON: EOF while parsing an object",
        ),
        applies: |f| f.json_body,
    },
    Shared {
        status: "401",
        name: "Unauthenticated",
        description: "`unauthenticated` (no bearer token), `invalid_token`, `token_expired` or `session_revoked`",
        example: (
            "unauthenticated",
            "send an access token as Authorization: Bearer <token>",
        ),
        applies: |f| f.bearer,
    },
    Shared {
        status: "413",
        name: "PayloadTooLarge",
        description: "`payload_too_large`: the body is over 64 KiB",
        example: ("payload_too_large", "request bodies are limited to 64 KiB"),
        applies: |f| f.json_body,
    },
    Shared {
        status: "415",
        name: "UnsupportedMediaType",
        description: "`unsupported_media_type`: the body is not `application/json`",
        example: (
            "unsupported_media_type",
            "send the body as application/json",
        ),
        applies: |f| f.json_body,
    },
    Shared {
        status: "422",
        name: "ValidationFailed",
        description: "`validation_failed`: a field of the body or a query parameter is invalid; `errors` names each",
        example: (
            "validation_failed",
            "limit: must be a whole number from 1 to 100",
        ),
        applies: |f| f.json_body || f.query,
    },
    Shared {
        status: "503",
        name: "ServiceUnavailable",
        description: "`service_unavailable`: PostgreSQL, Redis or the blob store is down; retry shortly",
        example: (
            "service_unavailable",
            "a service Sakura depends on is unavailable; retry shortly",
        ),
        applies: |f| !NO_DEPENDENCY.contains(&f.path),
    },
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// The canonical phrase of a status, as a problem's `title` says it.
fn title(status: &str) -> &'static str {
    status
        .parse::<u16>()
        .ok()
        .and_then(|s| actix_web::http::StatusCode::from_u16(s).ok())
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}

fn header(description: &str) -> Value {
    json!({ "description": description, "schema": { "type": "string" } })
}

/// Adds to every operation the answers of [`SHARED`] that apply to it (as `$ref`s to
/// `components/responses`), and the headers answers carry: `x-request-id` on all of them,
/// `WWW-Authenticate` on a 401, `Retry-After` on a 429.
pub(crate) fn shared_responses(document: &mut Value) {
    let mut components = Map::new();
    for shared in SHARED {
        let (code, detail) = shared.example;
        let mut response = json!({
            "description": shared.description,
            "content": { PROBLEM_JSON: {
                "schema": { "$ref": "#/components/schemas/Problem" },
                "example": {
                    "type": "about:blank",
                    "title": title(shared.status),
                    "status": shared.status.parse::<u16>().unwrap_or_default(),
                    "detail": detail,
                    "code": code,
                },
            } },
        });
        add_headers(shared.status, &mut response);
        components.insert(shared.name.to_owned(), response);
    }
    if let Some(responses) = document
        .pointer_mut("/components")
        .and_then(Value::as_object_mut)
        .map(|c| c.entry("responses").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    {
        responses.extend(components);
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(*method) else {
                continue;
            };
            let facts = Facts {
                path,
                json_body: operation
                    .pointer("/requestBody/content/application~1json")
                    .is_some(),
                query: operation["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query")),
                bearer: operation["security"]
                    .as_array()
                    .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some())),
            };
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            for shared in SHARED.iter().filter(|s| (s.applies)(&facts)) {
                responses.entry(shared.status).or_insert_with(
                    || json!({ "$ref": format!("#/components/responses/{}", shared.name) }),
                );
            }
            for (status, response) in responses.iter_mut() {
                if response.get("$ref").is_none() {
                    add_headers(status, response);
                }
            }
            // Statuses in order, as a reader expects them.
            let mut sorted: Vec<_> = std::mem::take(responses).into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            responses.extend(sorted);
        }
    }
}

fn add_headers(status: &str, response: &mut Value) {
    let Some(response) = response.as_object_mut() else {
        return;
    };
    let Some(headers) = response
        .entry("headers")
        .or_insert_with(|| json!({}))
        .as_object_mut()
    else {
        return;
    };
    headers.insert(
        REQUEST_ID.as_str().to_owned(),
        header("The request's id: the client's own `x-request-id` if it sent a plain one (1–64 of `A-Za-z0-9-_.`), else a new UUID; logs carry it"),
    );
    match status {
        "401" => {
            headers.insert(
                "WWW-Authenticate".to_owned(),
                header("`Bearer`: the scheme to authenticate with"),
            );
        }
        "429" => {
            headers.insert(
                "Retry-After".to_owned(),
                json!({
                    "description": "Seconds to wait before trying again",
                    "schema": { "type": "integer", "minimum": 1 },
                }),
            );
        }
        _ => {}
    }
}

//! The body of an error: RFC 9457 problem details, with a stable `code` clients switch on.

use std::borrow::Cow;

use serde::Serialize;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as named in the request body (camelCase), or a dotted path into it.
    #[schema(example = "email")]
    pub field: String,
    /// What is wrong with it, for people.
    #[schema(example = "is not a valid email address")]
    pub message: String,
}

/// An RFC 9457 problem details body.
///
/// Its OpenAPI schema is `ProblemSchema`'s: a plain object a generated client can build, where
/// the derived one would be an `allOf` with the flattened, untyped `extensions`.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Always `about:blank`: the `code` names the problem.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The HTTP status phrase.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, for people.
    pub detail: String,
    /// A stable snake_case code, for programs.
    pub code: &'static str,
    /// Per-field problems, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extra members of some problems (e.g. `checks` of a failed readiness probe).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

// What `Problem` looks like on the wire, for the OpenAPI document only: each member it can carry,
// `extensions` included, as a named property. Its doc comment is the schema's description.
/// An RFC 9457 problem details body: every error answer, with a stable `code` to switch on.
#[derive(ToSchema)]
#[schema(as = Problem)]
#[allow(dead_code)] // Never built: it only describes `Problem`.
struct ProblemSchema {
    /// Always `about:blank`: the `code` names the problem.
    #[schema(rename = "type", example = "about:blank")]
    kind: String,
    /// The HTTP status phrase.
    #[schema(example = "Unprocessable Entity")]
    title: String,
    /// The HTTP status code.
    #[schema(example = 422, minimum = 400, maximum = 599)]
    status: u16,
    /// What went wrong, for people.
    #[schema(example = "email: is not a valid email address")]
    detail: String,
    /// A stable snake_case code, for programs (`validation_failed`, `user_not_found`, ...).
    #[schema(example = "validation_failed", pattern = "^[a-z][a-z0-9_]*$")]
    code: String,
    /// Per-field problems, for `validation_failed` (absent otherwise).
    #[schema(required = false)]
    errors: Vec<FieldError>,
    /// For `dependency_unavailable` from `/health/ready`: each dependency's state (absent
    /// otherwise).
    #[schema(required = false)]
    checks: HealthChecks,
}

impl PartialSchema for Problem {
    fn schema() -> RefOr<Schema> {
        ProblemSchema::schema()
    }
}

impl ToSchema for Problem {
    fn name() -> Cow<'static, str> {
        ProblemSchema::name()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        ProblemSchema::schemas(schemas);
    }
}

/// Whether a dependency answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DependencyState {
    /// It answered the probe.
    Up,
    /// It did not.
    Down,
}

/// The readiness probes' answers, by dependency (schema only: the server sends them as a map).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthChecks {
    /// PostgreSQL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postgres: Option<DependencyState>,
    /// Redis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redis: Option<DependencyState>,
}

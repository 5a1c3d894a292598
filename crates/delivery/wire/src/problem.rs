//! The body of an error: RFC 9457 problem details, with a stable `code` clients switch on.

use serde::Serialize;
use utoipa::ToSchema;

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as named in the request body (camelCase), or a dotted path into it.
    pub field: String,
    /// What is wrong with it, for people.
    pub message: String,
}

/// An RFC 9457 problem details body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the `code` names the problem.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: &'static str,
    /// The HTTP status phrase.
    #[schema(example = "Unprocessable Entity")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong, for people.
    pub detail: String,
    /// A stable snake_case code, for programs.
    #[schema(example = "validation_failed")]
    pub code: &'static str,
    /// Per-field problems, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extra members of some problems (e.g. `checks` of a failed readiness probe).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

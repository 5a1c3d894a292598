//! Errors as RFC 9457 problem details, with a stable `code` clients switch on.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
pub(crate) use sakura_wire::{FieldError, Problem};

use crate::telemetry::{Counted, RateLimit};

/// The media type of every error body.
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// An error a handler answers with.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    retry_after_secs: Option<u64>,
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
    /// The business event this answer stands for, counted by the telemetry middleware.
    counted: Option<Counted>,
    /// The limit a 429 comes from, for `sakura_rate_limited_total{limit}`.
    rate_limit: Option<RateLimit>,
}

impl ApiError {
    /// A problem with this status, code and detail.
    pub(crate) fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            extensions: None,
            counted: None,
            rate_limit: None,
        }
    }

    /// 400 `malformed_json`.
    pub(crate) fn malformed_json(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed_json", detail)
    }

    /// 401 with `code`.
    pub(crate) fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, detail)
    }

    /// 404 with `code`.
    pub(crate) fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }

    /// 422 `validation_failed` listing the bad fields.
    pub(crate) fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => "some fields are invalid; see errors".to_owned(),
        };
        Self {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                detail,
            )
        }
    }

    /// 422 `validation_failed` for one field.
    pub(crate) fn invalid_field(field: &str, message: impl fmt::Display) -> Self {
        Self::validation(vec![FieldError {
            field: field.to_owned(),
            message: message.to_string(),
        }])
    }

    /// 429 `rate_limited` with `Retry-After`; `limit` names the limit in the metrics.
    pub(crate) fn rate_limited(limit: RateLimit, retry_after: std::time::Duration) -> Self {
        // Round up: retrying a fraction of a second early would be refused again.
        let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        Self {
            retry_after_secs: Some(secs.max(1)),
            rate_limit: Some(limit),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many attempts; retry later",
            )
        }
    }

    /// 503 `service_unavailable`: a dependency is down. Logged as a warning with its cause.
    pub(crate) fn unavailable(source: &anyhow::Error) -> Self {
        tracing::warn!(error = format!("{source:#}"), "dependency unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "a service Sakura depends on is unavailable; retry shortly",
        )
    }

    /// 500 `internal_error`: a bug. Logs the whole cause chain once; tells the client nothing.
    pub(crate) fn internal(source: &anyhow::Error) -> Self {
        tracing::error!(error = format!("{source:#}"), debug = ?source, "request failed unexpectedly");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side",
        )
    }

    /// Adds a per-field detail.
    pub(crate) fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
        self
    }

    /// Marks the answer as `event`, for the metrics (a failed login, a refused upload...).
    pub(crate) fn counted(mut self, event: Counted) -> Self {
        self.counted = Some(event);
        self
    }

    /// Adds members to the problem body.
    pub(crate) fn with_extensions(
        mut self,
        extensions: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        self.extensions = Some(extensions);
        self
    }

    /// The body this error answers with.
    pub(crate) fn problem(&self) -> Problem {
        Problem {
            kind: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            errors: self.errors.clone(),
            extensions: self.extensions.clone(),
        }
    }
}

impl ApiError {
    /// Maps a read failure; `not_found` names what was missing (`user_not_found`...).
    pub(crate) fn from_read(error: sakura_application::ReadError, not_found: &'static str) -> Self {
        use sakura_application::ReadError;
        match error {
            ReadError::NotFound => Self::not_found(not_found, not_found.replace('_', " ")),
            ReadError::Hidden => Self::new(
                StatusCode::FORBIDDEN,
                "privacy_restricted",
                "the owner's privacy settings do not let you see this",
            ),
            ReadError::Unavailable(e) => Self::unavailable(&e),
            ReadError::Unexpected(e) => Self::internal(&e),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Some(secs) = self.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = response.body(body);
        if let Some(event) = self.counted {
            response.extensions_mut().insert(event);
        }
        if let Some(limit) = self.rate_limit {
            response.extensions_mut().insert(limit);
        }
        response
    }
}

//! Operations endpoints: liveness, readiness, metrics, and the answers for unknown routes.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse, web};
use sakura_services::OpsServices;
use sakura_wire::HealthChecks;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::Feature;
use crate::problem::{ApiError, PROBLEM_JSON, Problem};

/// Health and metrics.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(live, ready, metrics),
    components(schemas(Health, HealthChecks)),
    tags((name = "ops", description = "Health and metrics"))
)]
struct ApiDoc;

/// The health and metrics routes; also all that the metrics listener serves.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(live))
        .route("/health/ready", web::get().to(ready))
        .route("/metrics", web::get().to(metrics));
}

/// A health answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok`.
    #[schema(example = "ok")]
    pub(crate) status: &'static str,
    /// Each dependency: `up` or `down` (only from `/health/ready`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<HealthChecks>)]
    pub(crate) checks: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The process is running.
#[utoipa::path(
    get, path = "/health/live", tag = "ops",
    responses((status = 200, description = "Alive", body = Health, example = json!({"status": "ok"})))
)]
pub(crate) async fn live() -> web::Json<Health> {
    web::Json(Health {
        status: "ok",
        checks: None,
    })
}

/// PostgreSQL and Redis both answer.
#[utoipa::path(
    get, path = "/health/ready", tag = "ops",
    responses(
        (status = 200, description = "Ready", body = Health, example = json!({"status": "ok", "checks": {"postgres": "up", "redis": "up"}})),
        (status = 503, description = "`dependency_unavailable`: `checks` says which", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn ready(state: web::Data<OpsServices>) -> Result<web::Json<Health>, ApiError> {
    let results = futures_util::future::join_all(
        state
            .probes
            .iter()
            .map(|probe| async move { (probe.name(), probe.check().await) }),
    )
    .await;
    let mut checks = serde_json::Map::new();
    let mut down = Vec::new();
    for (name, result) in results {
        let up = match result {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(
                    dependency = name,
                    error = format!("{error:#}"),
                    "readiness check failed"
                );
                false
            }
        };
        checks.insert(name.to_owned(), if up { "up" } else { "down" }.into());
        if !up {
            down.push(name);
        }
    }
    if down.is_empty() {
        return Ok(web::Json(Health {
            status: "ok",
            checks: Some(checks),
        }));
    }
    let mut extensions = serde_json::Map::new();
    extensions.insert("checks".to_owned(), checks.into());
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "dependency_unavailable",
        format!("not ready: {} unavailable", down.join(" and ")),
    )
    .with_extensions(extensions))
}

/// Prometheus metrics: the Prometheus text format (`text/plain; version=0.0.4`), or OpenMetrics
/// text to a scraper that asks for it in `Accept` (as Prometheus itself does).
#[utoipa::path(
    get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "Metrics, as `text/plain; version=0.0.4` or, on request, `application/openmetrics-text`", content_type = "text/plain", body = String))
)]
pub(crate) async fn metrics(state: web::Data<OpsServices>, req: HttpRequest) -> HttpResponse {
    let openmetrics = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/openmetrics-text"));
    // The same samples; only the family types and the closing `# EOF` differ.
    let (text, content_type) = if openmetrics {
        (
            state.metrics.encode(),
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )
    } else {
        (
            state.metrics.encode_prometheus(),
            "text/plain; version=0.0.4; charset=utf-8",
        )
    };
    let text = text.unwrap_or_else(|error| {
        tracing::error!(error = %error, "encoding metrics failed");
        String::new()
    });
    HttpResponse::Ok().content_type(content_type).body(text)
}

/// Unknown routes.
pub(crate) async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::not_found("not_found", "no such endpoint"))
}

/// Any error response that is not yet a problem (405 from a resource, a payload error from an
/// extractor we do not own...) becomes one, so every error a client sees has the same shape.
pub(crate) fn to_problem<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::BAD_REQUEST => "bad_request",
        s if s.is_server_error() => "internal_error",
        _ => "error",
    };
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => "this endpoint does not support that method".to_owned(),
        s => s.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let problem = ApiError::new(status, code, detail);
    let (req, res) = res.into_parts();
    let mut response: HttpResponse<BoxBody> = actix_web::ResponseError::error_response(&problem);
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

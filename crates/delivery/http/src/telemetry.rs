//! Per-request telemetry: a request id, a tracing span, an access log line and metrics.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use sakura_services::MetricsRegistry;
use tracing::Instrument;
use uuid::Uuid;

/// The header carrying the request id, in and out.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

/// The HTTP server's metric families, registered in the process's [`MetricsRegistry`].
pub struct HttpMetrics {
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
}

impl HttpMetrics {
    /// Registers `http_requests` and `http_request_duration_seconds` in `registry` (once, at
    /// start: a second registration would duplicate the families).
    pub fn new(registry: &MetricsRegistry) -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            // 1 ms to ~16 s.
            Histogram::new(exponential_buckets(0.001, 2.0, 15))
        });
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests",
            latency.clone(),
        );
        Self { requests, latency }
    }

    fn observe(&self, labels: &RequestLabels, seconds: f64) {
        self.requests.get_or_create(labels).inc();
        self.latency.get_or_create(labels).observe(seconds);
    }
}

/// A client-sent id is kept if it is short and plain; anything else is replaced, so log lines
/// cannot be forged or bloated through it.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
        .map_or_else(|| Uuid::now_v7().to_string(), str::to_owned)
}

/// Middleware: wraps each request in a span carrying its id, echoes the id as `x-request-id`,
/// logs one line per request and records count and latency by route and status.
pub(crate) async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = request_id(&req);
    // The matched pattern (`/api/v1/users/{id}`), never the raw path: bounded label values.
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let metrics = req.app_data::<actix_web::web::Data<HttpMetrics>>().cloned();
    let span = tracing::info_span!(
        "http_request",
        request_id = %id,
        method = %method,
        route = %route,
        user_id = tracing::field::Empty,
    );
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = match &result {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    span.in_scope(|| {
        tracing::info!(
            status = status.as_u16(),
            latency_ms = elapsed.as_millis() as u64,
            "request"
        );
    });
    if let Some(metrics) = metrics {
        metrics.observe(
            &RequestLabels {
                method,
                route,
                status: status.as_u16(),
            },
            elapsed.as_secs_f64(),
        );
    }
    result.map(|mut response| {
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        response
    })
}

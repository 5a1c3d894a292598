//! Per-request telemetry: a request id, a tracing span, an access log line and metrics.
//!
//! Labels are bounded: `method` is one of the standard methods or `OTHER`, `route` the matched
//! pattern or `unmatched`, so no client can mint series. Business events (a failed login, an
//! upload refused) are tagged on the response by the handler or error that answers them, as a
//! [`Counted`] in its extensions, and counted here, where the metrics are.

use std::time::Instant;

use actix_web::Error;
use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use sakura_services::MetricsRegistry;
use tracing::Instrument;
use uuid::Uuid;

/// The header carrying the request id, in and out.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabel {
    reason: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabel {
    limit: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

/// Why a login was refused (`sakura_login_failures_total{reason}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginFailure {
    /// Unknown email or wrong password.
    InvalidCredentials,
    /// Too many recent failures: refused without checking the password.
    RateLimited,
}

impl LoginFailure {
    const ALL: [Self; 2] = [Self::InvalidCredentials, Self::RateLimited];

    fn label(self) -> &'static str {
        match self {
            Self::InvalidCredentials => "invalid_credentials",
            Self::RateLimited => "rate_limited",
        }
    }
}

/// How a photo upload ended (`sakura_photo_uploads_total{outcome}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UploadOutcome {
    /// Stored.
    Accepted,
    /// Over the byte or the pixel limit.
    TooLarge,
    /// Not an image type we take, or not multipart at all.
    Unsupported,
    /// A corrupt image, an empty or missing file, a bad caption, an unreadable form.
    Invalid,
    /// Our side failed (a dependency down, a bug).
    Failed,
}

impl UploadOutcome {
    const ALL: [Self; 5] = [
        Self::Accepted,
        Self::TooLarge,
        Self::Unsupported,
        Self::Invalid,
        Self::Failed,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::TooLarge => "too_large",
            Self::Unsupported => "unsupported",
            Self::Invalid => "invalid",
            Self::Failed => "failed",
        }
    }
}

/// Which limit answered a 429 (`sakura_rate_limited_total{limit}`); `other` if none said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RateLimit {
    /// Failed logins per account or address.
    Login,
    /// Wrong current passwords on a password change.
    ChangePassword,
}

impl RateLimit {
    const ALL: [Self; 2] = [Self::Login, Self::ChangePassword];

    fn label(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::ChangePassword => "change_password",
        }
    }
}

/// A business event a response stands for, put in its extensions by whoever answers it
/// ([`ApiError::counted`](crate::problem::ApiError::counted), [`count`]) and counted by the
/// middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    /// A refused login.
    LoginFailure(LoginFailure),
    /// A photo upload, accepted or refused.
    PhotoUpload(UploadOutcome),
}

/// Tags `response` with `event`, counted once the response leaves.
pub(crate) fn count<B>(response: &mut HttpResponse<B>, event: Counted) {
    response.extensions_mut().insert(event);
}

/// The HTTP server's metric families, registered in the process's [`MetricsRegistry`]. Clones
/// share the families (the metrics listener's app counts into the same ones).
#[derive(Clone)]
pub struct HttpMetrics {
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
    in_flight: Gauge,
    login_failures: Family<ReasonLabel, Counter>,
    rate_limited: Family<LimitLabel, Counter>,
    photo_uploads: Family<OutcomeLabel, Counter>,
}

impl HttpMetrics {
    /// Registers `http_requests`, `http_request_duration_seconds`, `http_requests_in_flight`,
    /// `login_failures`, `rate_limited` and `photo_uploads` in `registry` (once, at start: a
    /// second registration would duplicate the families). Every known label value starts at 0,
    /// so rates work from the first scrape.
    pub fn new(registry: &MetricsRegistry) -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            // 1 ms to ~16 s.
            Histogram::new(exponential_buckets(0.001, 2.0, 15))
        });
        let in_flight = Gauge::default();
        let login_failures = Family::<ReasonLabel, Counter>::default();
        for reason in LoginFailure::ALL {
            drop(login_failures.get_or_create(&ReasonLabel {
                reason: reason.label(),
            }));
        }
        let rate_limited = Family::<LimitLabel, Counter>::default();
        for limit in RateLimit::ALL {
            drop(rate_limited.get_or_create(&LimitLabel {
                limit: limit.label(),
            }));
        }
        let photo_uploads = Family::<OutcomeLabel, Counter>::default();
        for outcome in UploadOutcome::ALL {
            drop(photo_uploads.get_or_create(&OutcomeLabel {
                outcome: outcome.label(),
            }));
        }
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests",
            latency.clone(),
        );
        registry.register(
            "http_requests_in_flight",
            "HTTP requests being answered now",
            in_flight.clone(),
        );
        registry.register(
            "login_failures",
            "Logins refused, by reason",
            login_failures.clone(),
        );
        registry.register(
            "rate_limited",
            "Requests answered 429, by the limit that refused them",
            rate_limited.clone(),
        );
        registry.register(
            "photo_uploads",
            "Photo uploads, by outcome",
            photo_uploads.clone(),
        );
        Self {
            requests,
            latency,
            in_flight,
            login_failures,
            rate_limited,
            photo_uploads,
        }
    }

    fn observe(&self, labels: &RequestLabels, seconds: f64) {
        self.requests.get_or_create(labels).inc();
        self.latency.get_or_create(labels).observe(seconds);
    }

    fn record(&self, event: Counted) {
        match event {
            Counted::LoginFailure(reason) => {
                self.login_failures
                    .get_or_create(&ReasonLabel {
                        reason: reason.label(),
                    })
                    .inc();
            }
            Counted::PhotoUpload(outcome) => {
                self.photo_uploads
                    .get_or_create(&OutcomeLabel {
                        outcome: outcome.label(),
                    })
                    .inc();
            }
        }
    }

    fn rate_limited(&self, limit: Option<RateLimit>) {
        let limit = limit.map_or("other", RateLimit::label);
        self.rate_limited.get_or_create(&LimitLabel { limit }).inc();
    }
}

/// One request in flight, until dropped: a request whose client goes away is dropped with its
/// future, and leaves the gauge too.
struct InFlight(Gauge);

impl InFlight {
    fn start(gauge: &Gauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The `method` label: a standard method's name, else `OTHER` (any token is a valid method, and
/// each would be a new series).
fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "OTHER",
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
/// logs one line per request, and records count, latency and requests in flight by route and
/// status, plus the business events the response is tagged with and every 429.
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
    let method = req.method().clone();
    let metrics = req.app_data::<actix_web::web::Data<HttpMetrics>>().cloned();
    let _in_flight = metrics.as_ref().map(|m| InFlight::start(&m.in_flight));
    let span = tracing::info_span!(
        "http_request",
        request_id = %id,
        method = %method,
        route = %route,
        user_id = tracing::field::Empty,
    );
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let (status, event, limit) = match &result {
        Ok(response) => {
            let extensions = response.response().extensions();
            (
                response.status(),
                extensions.get::<Counted>().copied(),
                extensions.get::<RateLimit>().copied(),
            )
        }
        Err(error) => (error.as_response_error().status_code(), None, None),
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
                method: method_label(&method),
                route,
                status: status.as_u16(),
            },
            elapsed.as_secs_f64(),
        );
        if let Some(event) = event {
            metrics.record(event);
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            metrics.rate_limited(limit);
        }
    }
    result.map(|mut response| {
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        response
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_dropped_midway_leaves_the_in_flight_gauge() {
        let gauge = Gauge::default();
        let mut request = Box::pin(async {
            let _in_flight = InFlight::start(&gauge);
            std::future::pending::<()>().await;
        });
        assert!(futures_util::FutureExt::now_or_never(&mut request).is_none());
        assert_eq!(gauge.get(), 1);
        // What actix does when the client goes away.
        drop(request);
        assert_eq!(gauge.get(), 0);
    }

    #[test]
    fn only_standard_methods_name_themselves() {
        for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
            let parsed = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
            assert_eq!(method_label(&parsed), method);
        }
        for method in ["FOOBAR1", "get", "PROPFIND"] {
            let parsed = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
            assert_eq!(method_label(&parsed), "OTHER", "{method}");
        }
    }
}

//! Logging: pretty for people, JSON for pipelines; the request span on every line.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::config::LogFormat;

/// Installs the global subscriber (once; later calls do nothing). `RUST_LOG` filters, `info`
/// by default.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::NONE);
    let _ = match format {
        // Every span a line is in goes with it (`spans`, outermost first): the request's
        // (`request_id`, route, user) is there on every line a request causes, also inside a
        // use case's or an adapter's own span, or on the blocking pool (the adapters carry the
        // span over). `span` is the innermost one.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

//! Operations: readiness of the dependencies and the metrics registry.

use std::sync::Arc;

use sakura_application::ports::DependencyProbe;

use crate::MetricsRegistry;

/// What the health and metrics endpoints read.
pub struct OpsServices {
    /// Readiness probes of the dependencies.
    pub probes: Vec<Arc<dyn DependencyProbe>>,
    /// Every metric family of the process.
    pub metrics: Arc<MetricsRegistry>,
}

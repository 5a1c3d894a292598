//! The process's one Prometheus registry: HTTP registers its families in it, the WebSocket hub
//! will register its own, and `/metrics` encodes them all.

use std::sync::{Mutex, PoisonError};

use prometheus_client::registry::{Metric, Registry};

/// Owns the registry. Families are registered once at start (through `&self`, so each crate
/// registers its own without the server knowing them) and updated lock-free afterwards; only
/// registering and encoding take the lock.
#[derive(Debug)]
pub struct MetricsRegistry {
    registry: Mutex<Registry>,
}

impl Default for MetricsRegistry {
    fn default() -> Self {
        Self {
            registry: Mutex::new(Registry::with_prefix("sakura")),
        }
    }
}

impl MetricsRegistry {
    /// Adds a family, named `sakura_<name>`.
    pub fn register(&self, name: &str, help: &str, metric: impl Metric) {
        self.lock().register(name, help, metric);
    }

    /// Every family in the OpenMetrics text format (ending with `# EOF`).
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.lock())?;
        Ok(out)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        // A panic while registering leaves the registry as it was: still fine to read.
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use prometheus_client::metrics::counter::Counter;

    use super::*;

    #[test]
    fn families_registered_by_anyone_are_encoded_with_the_prefix() -> Result<(), std::fmt::Error> {
        let registry = MetricsRegistry::default();
        let sockets = Counter::<u64>::default();
        registry.register("ws_connections", "Sockets opened", sockets.clone());
        sockets.inc();
        let text = registry.encode()?;
        assert!(text.contains("sakura_ws_connections_total 1"), "{text}");
        Ok(())
    }
}

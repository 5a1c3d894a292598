//! `sakura_<pool>_pool_*`: how full a connection pool is, read at each scrape.
//!
//! The pools belong to the adapters, which the delivery crates must not know; the server hands
//! in a [`PoolProbe`] reading each one.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::gauge::ConstGauge;

/// A pool's occupancy at one moment (deadpool's `Status`, without depending on deadpool).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// The most connections the pool opens.
    pub max_size: usize,
    /// Connections open now, idle or lent out.
    pub size: usize,
    /// Open connections idle in the pool.
    pub available: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
}

/// Reads a pool's [`PoolStatus`]; called at each scrape, so it must be cheap and must not block.
pub struct PoolProbe(Box<dyn Fn() -> PoolStatus + Send + Sync>);

impl PoolProbe {
    /// A probe calling `read`.
    pub fn new(read: impl Fn() -> PoolStatus + Send + Sync + 'static) -> Self {
        Self(Box::new(read))
    }
}

impl std::fmt::Debug for PoolProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PoolProbe")
    }
}

/// The families of one pool.
#[derive(Debug)]
pub(super) struct PoolCollector {
    connections: String,
    max_connections: String,
    waiting: String,
    probe: PoolProbe,
}

impl PoolCollector {
    /// `name` is the pool's (`db`, `redis`), put in each family's name.
    pub(super) fn new(name: &str, probe: PoolProbe) -> Self {
        Self {
            connections: format!("{name}_pool_connections"),
            max_connections: format!("{name}_pool_max_connections"),
            waiting: format!("{name}_pool_waiting"),
            probe,
        }
    }
}

fn gauge(value: usize) -> ConstGauge<i64> {
    ConstGauge::new(i64::try_from(value).unwrap_or(i64::MAX))
}

impl Collector for PoolCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let status = (self.probe.0)();
        let mut connections = encoder.encode_descriptor(
            &self.connections,
            "Open connections of the pool, by state: idle in the pool or in use",
            None,
            MetricType::Gauge,
        )?;
        for (state, value) in [
            ("idle", status.available),
            ("in_use", status.size.saturating_sub(status.available)),
        ] {
            gauge(value).encode(connections.encode_family(&[("state", state)])?)?;
        }
        gauge(status.max_size).encode(encoder.encode_descriptor(
            &self.max_connections,
            "The most connections the pool opens",
            None,
            MetricType::Gauge,
        )?)?;
        gauge(status.waiting).encode(encoder.encode_descriptor(
            &self.waiting,
            "Callers waiting for a connection of the pool",
            None,
            MetricType::Gauge,
        )?)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::MetricsRegistry;

    use super::*;

    #[test]
    fn a_pool_reports_idle_in_use_max_and_waiting_at_scrape_time() -> Result<(), std::fmt::Error> {
        let registry = MetricsRegistry::default();
        let status = std::sync::Arc::new(std::sync::Mutex::new(PoolStatus {
            max_size: 8,
            size: 5,
            available: 2,
            waiting: 0,
        }));
        let read = status.clone();
        registry.register_pool(
            "db",
            PoolProbe::new(move || *read.lock().unwrap_or_else(|e| e.into_inner())),
        );
        let text = registry.encode_prometheus()?;
        for sample in [
            r#"sakura_db_pool_connections{state="idle"} 2"#,
            r#"sakura_db_pool_connections{state="in_use"} 3"#,
            "sakura_db_pool_max_connections 8",
            "sakura_db_pool_waiting 0",
        ] {
            assert!(text.lines().any(|l| l == sample), "{sample} in {text}");
        }
        // Read again at the next scrape, not remembered from the first.
        *status.lock().unwrap_or_else(|e| e.into_inner()) = PoolStatus {
            max_size: 8,
            size: 8,
            available: 0,
            waiting: 4,
        };
        let text = registry.encode_prometheus()?;
        assert!(
            text.lines()
                .any(|l| l == r#"sakura_db_pool_connections{state="in_use"} 8"#),
            "{text}"
        );
        assert!(
            text.lines().any(|l| l == "sakura_db_pool_waiting 4"),
            "{text}"
        );
        Ok(())
    }
}

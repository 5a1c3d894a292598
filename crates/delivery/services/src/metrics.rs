//! The process's one Prometheus registry: HTTP registers its families in it, the server adds the
//! process, build and pool metrics, and `/metrics` encodes them all.
//!
//! Sakura's own families are named `sakura_*`; the process metrics keep the names every
//! Prometheus client uses (`process_cpu_seconds_total`...), so stock dashboards work.

mod pools;
mod process;

use std::sync::{Mutex, PoisonError};

use prometheus_client::collector::Collector;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Metric, Registry};

pub use pools::{PoolProbe, PoolStatus};

/// Owns the registry. Families are registered once at start (through `&self`, so each crate
/// registers its own without the server knowing them) and updated lock-free afterwards; only
/// registering and encoding take the lock.
#[derive(Debug)]
pub struct MetricsRegistry {
    registries: Mutex<Registries>,
}

#[derive(Debug)]
struct Registries {
    /// Sakura's families, `sakura_*`.
    sakura: Registry,
    /// Families with conventional names of their own (`process_*`).
    unprefixed: Registry,
}

impl Default for MetricsRegistry {
    fn default() -> Self {
        Self {
            registries: Mutex::new(Registries {
                sakura: Registry::with_prefix("sakura"),
                unprefixed: Registry::default(),
            }),
        }
    }
}

impl MetricsRegistry {
    /// Adds a family, named `sakura_<name>`.
    pub fn register(&self, name: &str, help: &str, metric: impl Metric) {
        self.lock().sakura.register(name, help, metric);
    }

    /// Adds a collector, asked for its samples at each scrape; its families are named
    /// `sakura_<name>`.
    pub fn register_collector(&self, collector: impl Collector) {
        self.lock().sakura.register_collector(Box::new(collector));
    }

    /// Adds `sakura_build_info{version} 1`.
    pub fn register_build_info(&self, version: &str) {
        let labels = vec![("version".to_owned(), version.to_owned())];
        self.register("build", "Sakura's version", Info::new(labels));
    }

    /// Adds the `process_*` families (CPU, memory, open files, start time), read from `/proc` at
    /// each scrape. Only Linux has them; elsewhere this adds nothing.
    pub fn register_process_metrics(&self) {
        if let Some(collector) = process::ProcessCollector::new() {
            self.lock()
                .unprefixed
                .register_collector(Box::new(collector));
        }
    }

    /// Adds `sakura_<name>_pool_*`: the connections of a pool, read through `probe` at each
    /// scrape (see [`PoolProbe`]).
    pub fn register_pool(&self, name: &'static str, probe: PoolProbe) {
        self.register_collector(pools::PoolCollector::new(name, probe));
    }

    /// Every family in the OpenMetrics text format (ending with `# EOF`).
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let registries = self.lock();
        let mut out = String::new();
        prometheus_client::encoding::text::encode_registry(&mut out, &registries.unprefixed)?;
        prometheus_client::encoding::text::encode_registry(&mut out, &registries.sakura)?;
        prometheus_client::encoding::text::encode_eof(&mut out)?;
        Ok(out)
    }

    /// Every family in the Prometheus text format 0.0.4 (what a scraper gets unless it asks for
    /// OpenMetrics): no `# EOF`, and `info` families typed as gauges, which 0.0.4 parsers know.
    pub fn encode_prometheus(&self) -> Result<String, std::fmt::Error> {
        let registries = self.lock();
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &registries.unprefixed)?;
        prometheus_client::encoding::prometheus_text::encode(&mut out, &registries.sakura)?;
        Ok(out)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registries> {
        // A panic while registering leaves the registry as it was: still fine to read.
        self.registries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
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

    #[test]
    fn build_info_is_a_gauge_of_one_in_the_prometheus_format() -> Result<(), std::fmt::Error> {
        let registry = MetricsRegistry::default();
        registry.register_build_info("1.2.3");
        let open = registry.encode()?;
        assert!(
            open.contains(r#"sakura_build_info{version="1.2.3"} 1"#),
            "{open}"
        );
        assert!(open.ends_with("# EOF\n"), "{open}");
        // A 0.0.4 parser refuses a `# TYPE … info` line and with it the whole scrape.
        let plain = registry.encode_prometheus()?;
        assert!(
            plain.contains(r#"sakura_build_info{version="1.2.3"} 1"#),
            "{plain}"
        );
        assert!(plain.contains("# TYPE sakura_build_info gauge"), "{plain}");
        assert!(
            !plain.contains(" info\n") && !plain.contains("# EOF"),
            "{plain}"
        );
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn process_metrics_keep_their_conventional_names() -> Result<(), std::fmt::Error> {
        let registry = MetricsRegistry::default();
        registry.register_process_metrics();
        let text = registry.encode_prometheus()?;
        for family in [
            "process_cpu_seconds_total ",
            "process_resident_memory_bytes ",
            "process_virtual_memory_bytes ",
            "process_open_fds ",
            "process_max_fds ",
            "process_start_time_seconds ",
        ] {
            assert!(
                text.lines().any(|line| line.starts_with(family)),
                "{family} in {text}"
            );
        }
        assert!(!text.contains("sakura_process"), "{text}");
        let value = |family: &str| -> f64 {
            text.lines()
                .find_map(|line| line.strip_prefix(family)?.trim().parse().ok())
                .unwrap_or(f64::NAN)
        };
        // Units: bytes, not pages; seconds since the epoch, not ticks since boot.
        assert!(
            value("process_resident_memory_bytes ") > 1_000_000.0,
            "{text}"
        );
        assert!(value("process_open_fds ") >= 3.0, "{text}");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let started = value("process_start_time_seconds ");
        assert!(
            started > now - 86_400.0 && started <= now + 1.0,
            "{started} vs {now}"
        );
        Ok(())
    }
}

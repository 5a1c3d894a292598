//! `process_*`: what the kernel says about this process, read from `/proc` at each scrape.
//!
//! The names and units are those of the Prometheus client libraries' process collectors, so
//! stock dashboards and alerts work unchanged. Linux only: elsewhere there is no collector.

#[cfg(target_os = "linux")]
pub(super) use linux::ProcessCollector;

#[cfg(not(target_os = "linux"))]
pub(super) use other::ProcessCollector;

#[cfg(target_os = "linux")]
mod linux {
    use procfs::process::{LimitValue, Process};
    use prometheus_client::collector::Collector;
    use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
    use prometheus_client::metrics::counter::ConstCounter;
    use prometheus_client::metrics::gauge::ConstGauge;

    /// Reads `/proc/self/{stat,fd,limits}` at each scrape. A file that cannot be read leaves its
    /// families out of that scrape rather than failing it.
    #[derive(Debug)]
    pub(crate) struct ProcessCollector {
        /// Clock ticks per second, the unit of the CPU times in `stat`.
        ticks: f64,
        /// Bytes per page, the unit of the resident set in `stat`.
        page_size: u64,
        /// Seconds since the epoch at which the process started; it never changes.
        start_time: Option<f64>,
    }

    impl ProcessCollector {
        /// A collector of this process, or `None` when `/proc` is not mounted.
        pub(crate) fn new() -> Option<Self> {
            let stat = Process::myself().and_then(|me| me.stat()).ok()?;
            let ticks = procfs::ticks_per_second().max(1) as f64;
            let start_time = procfs::boot_time_secs()
                .ok()
                .map(|boot| boot as f64 + stat.starttime as f64 / ticks);
            Some(Self {
                ticks,
                page_size: procfs::page_size(),
                start_time,
            })
        }
    }

    fn gauge<N: prometheus_client::encoding::EncodeGaugeValue + std::fmt::Debug>(
        encoder: &mut DescriptorEncoder<'_>,
        name: &str,
        help: &str,
        value: N,
    ) -> Result<(), std::fmt::Error> {
        let metric = ConstGauge::new(value);
        metric.encode(encoder.encode_descriptor(name, help, None, metric.metric_type())?)
    }

    impl Collector for ProcessCollector {
        fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
            let Ok(me) = Process::myself() else {
                return Ok(());
            };
            if let Ok(stat) = me.stat() {
                let cpu = ConstCounter::new((stat.utime + stat.stime) as f64 / self.ticks);
                cpu.encode(encoder.encode_descriptor(
                    "process_cpu_seconds",
                    "Total user and system CPU time spent in seconds",
                    None,
                    cpu.metric_type(),
                )?)?;
                gauge(
                    &mut encoder,
                    "process_resident_memory_bytes",
                    "Resident memory size in bytes",
                    i64::try_from(stat.rss.saturating_mul(self.page_size)).unwrap_or(i64::MAX),
                )?;
                gauge(
                    &mut encoder,
                    "process_virtual_memory_bytes",
                    "Virtual memory size in bytes",
                    i64::try_from(stat.vsize).unwrap_or(i64::MAX),
                )?;
            }
            if let Ok(count) = me.fd_count() {
                gauge(
                    &mut encoder,
                    "process_open_fds",
                    "Number of open file descriptors",
                    i64::try_from(count).unwrap_or(i64::MAX),
                )?;
            }
            // An unlimited soft limit has no number to give: the family is left out.
            if let Ok(limits) = me.limits()
                && let LimitValue::Value(max) = limits.max_open_files.soft_limit
            {
                gauge(
                    &mut encoder,
                    "process_max_fds",
                    "Maximum number of open file descriptors",
                    i64::try_from(max).unwrap_or(i64::MAX),
                )?;
            }
            if let Some(start) = self.start_time {
                gauge(
                    &mut encoder,
                    "process_start_time_seconds",
                    "Start time of the process since unix epoch in seconds",
                    start,
                )?;
            }
            Ok(())
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod other {
    /// No `/proc`: nothing to collect.
    #[derive(Debug)]
    pub(crate) enum ProcessCollector {}

    impl ProcessCollector {
        /// Always `None` off Linux.
        pub(crate) fn new() -> Option<Self> {
            None
        }
    }

    impl prometheus_client::collector::Collector for ProcessCollector {
        fn encode(
            &self,
            _: prometheus_client::encoding::DescriptorEncoder<'_>,
        ) -> Result<(), std::fmt::Error> {
            match *self {}
        }
    }
}

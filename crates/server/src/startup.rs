//! Building and running the server.

use std::future::Future;
use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::{HttpServer, http};
use anyhow::Context;
use sakura_application::auth::LoginLimits;
use sakura_application::events::relay::{RelayOutbox, RelaySettings};
use sakura_application::photos::SweepOrphanFiles;
use sakura_application::ports::{
    AccessTokens, BlobStore, ChatStore, Clock, DependencyProbe, EventBus, EventPublisher,
    FailureLimiter, ImageProcessor, NotificationStore, Outbox, PasswordHasher, PeopleDirectory,
    PhotoRepository, RefreshTokens, SessionStore, SocialGraph, SystemClock, UserRepository,
};
use sakura_crypto::{BcryptPasswordHasher, JwtAccessTokens, RandomRefreshTokens};
use sakura_imaging::ImageRsProcessor;
use sakura_postgres::{
    PgChatStore, PgJobLock, PgNotificationStore, PgOutbox, PgPeopleDirectory, PgPhotoRepository,
    PgProbe, PgSocialGraph, PgUserRepository,
};
use sakura_redis::{RedisConfig, RedisFailureLimiter, RedisProbe, RedisSessionStore};
use sakura_services::{MetricsRegistry, PoolProbe, PoolStatus, Shutdown, ShutdownTrigger};
use sakura_storage::{LocalBlobStore, S3BlobStore};

use crate::config::Config;
use crate::events::{BackgroundPublisher, LoggingEventBus, run_photo_sweep, run_relay};
use crate::shutdown;

mod wiring;

use wiring::Ports;

/// Creates the database if missing and applies pending migrations.
pub async fn migrate(database_url: &str) -> anyhow::Result<()> {
    sakura_postgres::ensure_database(database_url).await?;
    sakura_postgres::run_migrations(database_url).await
}

fn time_duration(d: std::time::Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::MAX)
}

/// A built server, bound to its port, not yet serving.
pub struct Application {
    port: u16,
    server: Server,
    shutdown_timeout: std::time::Duration,
    /// Fired before the HTTP server stops, so sockets close with 1001 first.
    shutdown: ShutdownTrigger,
    /// The event publisher's and the outbox relay's tasks, stopped with the server.
    background: Vec<tokio::task::JoinHandle<()>>,
    /// The metrics listener (`METRICS_ADDR`) and its port, if any.
    metrics: Option<(Server, u16)>,
}

/// With `MIGRATE_ON_START=false` the schema is someone else's job: refuse to serve on one that
/// is behind the binary.
async fn refuse_pending_migrations(database_url: &str) -> anyhow::Result<()> {
    let pending = sakura_postgres::pending_migrations(database_url)
        .await
        .context("check the database schema (MIGRATE_ON_START=false)")?;
    if !pending.is_empty() {
        anyhow::bail!(
            "MIGRATE_ON_START=false, but {} migration(s) are pending ({}): run `sakura-server migrate` first",
            pending.len(),
            pending.join(", ")
        );
    }
    Ok(())
}

impl Application {
    /// Prepares the database, connects the pools, wires the use cases and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        if config.jwt_secret_generated {
            tracing::warn!(
                "JWT_SECRET is not set: using a random secret, so tokens die with this process"
            );
        }
        if config.migrate_on_start {
            migrate(&config.database_url)
                .await
                .context("prepare the database")?;
        } else {
            refuse_pending_migrations(&config.database_url).await?;
        }
        let pg = sakura_postgres::connect(&config.database_url, config.database_pool_size)?;
        let redis = sakura_redis::connect(&RedisConfig {
            url: config.redis_url.clone(),
            ca_cert: config.redis_ca_cert.clone(),
            key_prefix: config.redis_key_prefix.clone(),
            pool_size: config.database_pool_size.max(8),
        })?;
        // Redis may be down at start: Sakura runs degraded and reconnects, so only warn.
        if let Err(error) = RedisProbe::new(redis.clone()).check().await {
            tracing::warn!(
                error = format!("{error:#}"),
                "Redis is not reachable; starting degraded"
            );
        }

        let metrics = Arc::new(metrics_registry(&pg, &redis));
        let (ports, background) = ports(&config, pg, redis).await?;
        let data = wiring::app_data(&ports, &config, &metrics);
        let (trigger, shutdown) = sakura_services::shutdown::channel();
        let metrics_server = match config.metrics_addr {
            None => None,
            Some(wanted) => {
                let listener = TcpListener::bind(wanted)
                    .with_context(|| format!("bind {wanted} (METRICS_ADDR)"))?;
                let bound = listener.local_addr()?;
                let ops_data = data.clone();
                let server = HttpServer::new(move || sakura_http::ops_app(ops_data.clone()))
                    .listen(listener)?
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(config.shutdown_timeout.as_secs())
                    .run();
                tracing::info!(address = %bound, "metrics listening");
                Some((server, bound.port()))
            }
        };
        // With a metrics listener, the public port does not answer `/metrics`.
        let data = if metrics_server.is_some() {
            data.metrics_elsewhere()
        } else {
            data
        };

        let listener = TcpListener::bind((config.host.as_str(), config.port))
            .with_context(|| format!("bind {}:{} (HOST/PORT)", config.host, config.port))?;
        let address = listener.local_addr()?;
        let origins = config.cors_origins.clone();
        let server = HttpServer::new(move || {
            let shutdown = shutdown.clone();
            sakura_http::app(data.clone(), move |cfg| {
                sakura_ws::configure(cfg, &shutdown)
            })
            .wrap(cors(&origins))
        })
        .listen(listener)?
        // Signals are ours: on SIGTERM we stop accepting, then give in-flight requests time.
        .disable_signals()
        .shutdown_timeout(config.shutdown_timeout.as_secs())
        .run();
        tracing::info!(%address, env = ?config.env, "listening");
        Ok(Self {
            port: address.port(),
            server,
            shutdown_timeout: config.shutdown_timeout,
            shutdown: trigger,
            background,
            metrics: metrics_server,
        })
    }

    /// The port the server listens on (useful with `PORT=0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the metrics listener, when `METRICS_ADDR` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, port)| *port)
    }

    /// A handle to stop the server from elsewhere (tests).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// A listener of the shutdown signal, as the WebSocket endpoint gets (tests).
    pub fn shutdown(&self) -> Shutdown {
        self.shutdown.subscribe()
    }

    /// Serves until SIGTERM or ctrl-c, then shuts down gracefully.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown::os_signal()).await
    }

    /// Serves until `signal` resolves, then shuts down gracefully: sockets are told first (they
    /// close with 1001), then the server stops accepting and finishes the requests in flight.
    pub async fn run_until(
        self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tokio::spawn(shutdown::stop_on(
            signal,
            self.shutdown,
            self.server.handle(),
            self.shutdown_timeout,
        ));
        let metrics = self.metrics.map(|(server, _)| {
            let handle = server.handle();
            (tokio::spawn(server), handle)
        });
        let served = self.server.await.context("HTTP server");
        // Scrapes go on while the public port drains; then the metrics listener stops too.
        if let Some((task, handle)) = metrics {
            handle.stop(true).await;
            task.await
                .context("metrics task")?
                .context("metrics server")?;
        }
        served?;
        // Requests are done: nothing publishes any more. Whatever is still queued stays in the
        // outbox for the relay of the next instance.
        for task in &self.background {
            task.abort();
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// The registry with what the server itself knows: the process, the build and the two pools
/// (read at each scrape; the delivery crates never see the adapters).
fn metrics_registry(
    pg: &sakura_postgres::PgPool,
    redis: &sakura_redis::RedisPool,
) -> MetricsRegistry {
    let metrics = MetricsRegistry::default();
    metrics.register_process_metrics();
    metrics.register_build_info(env!("CARGO_PKG_VERSION"));
    let pg = pg.clone();
    metrics.register_pool(
        "db",
        PoolProbe::new(move || {
            let status = pg.status();
            PoolStatus {
                max_size: status.max_size,
                size: status.size,
                available: status.available,
                waiting: status.waiting,
            }
        }),
    );
    let redis = redis.clone();
    metrics.register_pool(
        "redis",
        PoolProbe::new(move || {
            let status = redis.status();
            PoolStatus {
                max_size: status.max_size,
                size: status.size,
                available: status.available,
                waiting: status.waiting,
            }
        }),
    );
    metrics
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            http::header::AUTHORIZATION,
            http::header::CONTENT_TYPE,
            http::header::ACCEPT,
        ])
        .expose_headers([
            http::header::HeaderName::from_static("x-request-id"),
            http::header::RETRY_AFTER,
        ])
        // The refresh cookie must travel with cross-origin calls of the frontend.
        .supports_credentials()
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// The adapters, connected, as the ports the use cases take, and the background tasks that
/// deliver their events.
async fn ports(
    config: &Config,
    pg: sakura_postgres::PgPool,
    redis: sakura_redis::RedisPool,
) -> anyhow::Result<(Ports, Vec<tokio::task::JoinHandle<()>>)> {
    let prefix = config.redis_key_prefix.as_str();
    // Several instances must share photos: S3 when configured, else a local directory.
    let blobs: Arc<dyn BlobStore> = match &config.s3 {
        Some(s3) => {
            tracing::info!(bucket = %s3.bucket, "photos go to S3");
            Arc::new(S3BlobStore::new(s3.clone()).context("S3_* settings")?)
        }
        None => Arc::new(
            LocalBlobStore::new(config.media_dir.clone())
                .await
                .context("MEDIA_DIR")?,
        ),
    };
    let probes: Vec<Arc<dyn DependencyProbe>> = vec![
        Arc::new(PgProbe::new(pg.clone())),
        Arc::new(RedisProbe::new(redis.clone())),
    ];
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let outbox: Arc<dyn Outbox> = Arc::new(PgOutbox::new(pg.clone()));
    let bus: Arc<dyn EventBus> = Arc::new(LoggingEventBus);
    let (publisher, publisher_task) = BackgroundPublisher::start(bus.clone(), outbox.clone());
    let events: Arc<dyn EventPublisher> = Arc::new(publisher);
    let relay = RelayOutbox::new(
        outbox,
        bus,
        clock.clone(),
        RelaySettings {
            grace: time_duration(config.event_relay_grace),
            ..RelaySettings::default()
        },
    );
    let photos: Arc<dyn PhotoRepository> = Arc::new(PgPhotoRepository::new(pg.clone()));
    let sweep = SweepOrphanFiles::new(
        blobs.clone(),
        photos.clone(),
        Arc::new(PgJobLock::new(pg.clone())),
        clock.clone(),
        config.photo_sweep_min_age,
    );
    let background = vec![
        publisher_task,
        run_relay(relay, config.event_relay_interval),
        run_photo_sweep(sweep, config.photo_sweep_interval),
    ];
    let ports = Ports {
        users: Arc::new(PgUserRepository::new(pg.clone())) as Arc<dyn UserRepository>,
        graph: Arc::new(PgSocialGraph::new(pg.clone())) as Arc<dyn SocialGraph>,
        people: Arc::new(PgPeopleDirectory::new(pg.clone())) as Arc<dyn PeopleDirectory>,
        notifications: Arc::new(PgNotificationStore::new(pg.clone())) as Arc<dyn NotificationStore>,
        chats: Arc::new(PgChatStore::new(pg.clone())) as Arc<dyn ChatStore>,
        photos,
        blobs,
        images: Arc::new(ImageRsProcessor::new()) as Arc<dyn ImageProcessor>,
        sessions: Arc::new(RedisSessionStore::new(redis.clone(), prefix)) as Arc<dyn SessionStore>,
        limiter: Arc::new(RedisFailureLimiter::new(redis, prefix)) as Arc<dyn FailureLimiter>,
        hasher: Arc::new(BcryptPasswordHasher::new(config.bcrypt_cost).await?)
            as Arc<dyn PasswordHasher>,
        access: Arc::new(JwtAccessTokens::new(
            config.jwt_secret.expose(),
            time_duration(config.access_token_ttl),
        )?) as Arc<dyn AccessTokens>,
        refresh: Arc::new(RandomRefreshTokens) as Arc<dyn RefreshTokens>,
        events,
        clock,
        probes,
        limits: LoginLimits {
            per_email: config.login_max_failures_per_email,
            per_ip: config.login_max_failures_per_ip,
            window: config.login_failure_window,
        },
        refresh_ttl: time_duration(config.refresh_token_ttl),
    };
    Ok((ports, background))
}

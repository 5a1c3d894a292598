//! Building and running the server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::{HttpServer, http, web};
use anyhow::Context;
use sakura_application::auth::{
    Authenticate, ChangePassword, ListSessions, LoginLimits, LoginUser, Logout, LogoutAll,
    RefreshSession, RegisterUser, RevokeSession, SessionTokens,
};
use sakura_application::blocks::{BlockUser, ListBlocks, UnblockUser};
use sakura_application::events::relay::{RelayOutbox, RelaySettings};
use sakura_application::friends::{ChangeFriendship, ListFriends, ListRequests, MutualFriends};
use sakura_application::notifications::{ListNotifications, MarkNotificationsRead, UnreadCount};
use sakura_application::photos::{
    DeletePhoto, GetMedia, GetPhoto, ListPhotos, SetAvatar, UpdateCaption, UploadPhoto,
};
use sakura_application::ports::{
    AccessTokens, BlobStore, Clock, DependencyProbe, EventBus, EventPublisher, FailureLimiter,
    ImageProcessor, NotificationStore, Outbox, PasswordHasher, PeopleDirectory, PhotoRepository,
    RefreshTokens, SessionStore, SocialGraph, SystemClock, UserRepository,
};
use sakura_application::users::{
    GetMe, GetProfile, SearchUsers, SuggestPeople, UpdateMe, UpdateSettings,
};
use sakura_crypto::{BcryptPasswordHasher, JwtAccessTokens, RandomRefreshTokens};
use sakura_http::AppState;
use sakura_http::telemetry::Metrics;
use sakura_imaging::ImageRsProcessor;
use sakura_postgres::{
    PgNotificationStore, PgOutbox, PgPeopleDirectory, PgPhotoRepository, PgProbe, PgSocialGraph,
    PgUserRepository,
};
use sakura_redis::{RedisConfig, RedisFailureLimiter, RedisProbe, RedisSessionStore};
use sakura_storage::{LocalBlobStore, S3BlobStore};

use crate::config::Config;
use crate::events::{BackgroundPublisher, LoggingEventBus, run_relay};

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
    /// The event publisher's and the outbox relay's tasks, stopped with the server.
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Prepares the database, connects the pools, wires the use cases and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        if config.jwt_secret_generated {
            tracing::warn!(
                "JWT_SECRET is not set: using a random secret, so tokens die with this process"
            );
        }
        migrate(&config.database_url)
            .await
            .context("prepare the database")?;
        let pg = sakura_postgres::connect(&config.database_url, config.database_pool_size)?;
        let redis = sakura_redis::connect(&RedisConfig {
            url: config.redis_url.clone(),
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

        let prefix = config.redis_key_prefix.as_str();
        let users: Arc<dyn UserRepository> = Arc::new(PgUserRepository::new(pg.clone()));
        let graph: Arc<dyn SocialGraph> = Arc::new(PgSocialGraph::new(pg.clone()));
        let people: Arc<dyn PeopleDirectory> = Arc::new(PgPeopleDirectory::new(pg.clone()));
        let notifications: Arc<dyn NotificationStore> =
            Arc::new(PgNotificationStore::new(pg.clone()));
        let photos: Arc<dyn PhotoRepository> = Arc::new(PgPhotoRepository::new(pg.clone()));
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
        let images: Arc<dyn ImageProcessor> = Arc::new(ImageRsProcessor::new());
        let sessions: Arc<dyn SessionStore> =
            Arc::new(RedisSessionStore::new(redis.clone(), prefix));
        let limiter: Arc<dyn FailureLimiter> =
            Arc::new(RedisFailureLimiter::new(redis.clone(), prefix));
        let hasher: Arc<dyn PasswordHasher> =
            Arc::new(BcryptPasswordHasher::new(config.bcrypt_cost).await?);
        let access: Arc<dyn AccessTokens> = Arc::new(JwtAccessTokens::new(
            config.jwt_secret.expose(),
            time_duration(config.access_token_ttl),
        )?);
        let refresh: Arc<dyn RefreshTokens> = Arc::new(RandomRefreshTokens);
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
        let background = vec![
            publisher_task,
            run_relay(relay, config.event_relay_interval),
        ];
        let limits = LoginLimits {
            per_email: config.login_max_failures_per_email,
            per_ip: config.login_max_failures_per_ip,
            window: config.login_failure_window,
        };
        let tokens = SessionTokens::new(
            sessions.clone(),
            access.clone(),
            refresh.clone(),
            time_duration(config.refresh_token_ttl),
            clock.clone(),
        );
        let probes: Vec<Arc<dyn DependencyProbe>> = vec![
            Arc::new(PgProbe::new(pg.clone())),
            Arc::new(RedisProbe::new(redis.clone())),
        ];

        let state = web::Data::new(AppState {
            register: RegisterUser::new(users.clone(), hasher.clone(), tokens.clone()),
            login: LoginUser::new(
                users.clone(),
                hasher.clone(),
                limiter.clone(),
                tokens.clone(),
                limits,
            ),
            refresh: RefreshSession::new(users.clone(), tokens, events.clone()),
            logout: Logout::new(
                sessions.clone(),
                refresh.clone(),
                events.clone(),
                clock.clone(),
            ),
            logout_all: LogoutAll::new(sessions.clone(), events.clone(), clock.clone()),
            list_sessions: ListSessions::new(sessions.clone()),
            revoke_session: RevokeSession::new(sessions.clone(), events.clone(), clock.clone()),
            change_password: ChangePassword::new(
                users.clone(),
                hasher.clone(),
                sessions.clone(),
                limiter.clone(),
                events.clone(),
                clock.clone(),
                limits,
            ),
            authenticate: Authenticate::new(access.clone(), sessions.clone()),
            get_me: GetMe::new(users.clone(), people.clone()),
            update_me: UpdateMe::new(users.clone(), clock.clone()),
            update_settings: UpdateSettings::new(users.clone(), events.clone(), clock.clone()),
            get_profile: GetProfile::new(people.clone()),
            search_users: SearchUsers::new(people.clone()),
            suggest_people: SuggestPeople::new(people.clone()),
            change_friendship: ChangeFriendship::new(
                graph.clone(),
                people.clone(),
                events.clone(),
                clock.clone(),
            ),
            list_friends: ListFriends::new(people.clone()),
            mutual_friends: MutualFriends::new(people.clone()),
            list_requests: ListRequests::new(people.clone()),
            block_user: BlockUser::new(graph.clone(), events.clone(), clock.clone()),
            unblock_user: UnblockUser::new(graph, events.clone(), clock.clone()),
            list_blocks: ListBlocks::new(people.clone()),
            list_notifications: ListNotifications::new(notifications.clone(), people.clone()),
            unread_count: UnreadCount::new(notifications.clone()),
            mark_notifications_read: MarkNotificationsRead::new(notifications, clock.clone()),
            upload_photo: UploadPhoto::new(photos.clone(), blobs.clone(), images, clock),
            get_photo: GetPhoto::new(photos.clone(), people.clone()),
            list_photos: ListPhotos::new(photos.clone(), people.clone()),
            update_caption: UpdateCaption::new(photos.clone(), people.clone()),
            delete_photo: DeletePhoto::new(photos.clone(), blobs.clone(), people.clone()),
            set_avatar: SetAvatar::new(photos, people.clone()),
            get_media: GetMedia::new(blobs),
            probes,
            metrics: Arc::new(Metrics::default()),
            trust_proxy: config.trust_proxy,
            secure_cookies: config.cookie_secure,
        });

        let listener = TcpListener::bind((config.host.as_str(), config.port))
            .with_context(|| format!("bind {}:{} (HOST/PORT)", config.host, config.port))?;
        let address = listener.local_addr()?;
        let origins = config.cors_origins.clone();
        let server = HttpServer::new(move || {
            sakura_http::app(state.clone(), sakura_ws::configure).wrap(cors(&origins))
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
            background,
        })
    }

    /// The port the server listens on (useful with `PORT=0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server from elsewhere (tests).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM or ctrl-c, then shuts down gracefully.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let handle = self.server.handle();
        let timeout = self.shutdown_timeout;
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!(
                timeout_secs = timeout.as_secs(),
                "shutting down: finishing in-flight requests"
            );
            handle.stop(true).await;
        });
        self.server.await.context("HTTP server")?;
        // Requests are done: nothing publishes any more. What is still queued stays in the
        // outbox for the next instance's relay.
        for task in &self.background {
            task.abort();
        }
        tracing::info!("stopped");
        Ok(())
    }
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

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

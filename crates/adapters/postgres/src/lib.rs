//! PostgreSQL adapters of Sakura's ports, on diesel-async with a deadpool pool.
//!
//! # Layout
//! - [`tls`]: [`PgConnectOptions`], `DATABASE_URL` parsed, with TLS (rustls) as its `sslmode`
//!   says; every connection is made through it.
//! - [`database`]: the pool, creating the database if missing, embedded migrations, readiness.
//! - [`PgUserRepository`] stores users.
//! - [`PgSocialGraph`] applies friendship transitions and blocks under a per-pair lock.
//! - [`PgPeopleDirectory`] reads profiles, keyset lists, search and suggestions.
//! - [`PgNotificationStore`] keeps notifications and their read flags.
//! - [`PgOutbox`]: events written with their change (the transactional outbox), claimed and
//!   cleared by the relay.
//! - [`PgPhotoRepository`] keeps photo metadata and avatars.
//! - [`PgChatStore`]: the messenger — chats, members, messages, reactions, read markers, search.
//! - `schema`: diesel's view of the tables (written by hand, kept next to the migrations' SQL).
//! - `error`: turning driver errors into [`sakura_application::StoreError`] where they happen.

mod chats;
pub mod database;
mod error;
mod job_lock;
mod notifications;
mod outbox;
mod people;
mod photos;
mod schema;
mod social_graph;
pub mod tls;
mod users;

pub use chats::PgChatStore;
pub use database::{PgPool, PgProbe, connect, ensure_database, pending_migrations, run_migrations};
pub use job_lock::PgJobLock;
pub use notifications::PgNotificationStore;
pub use outbox::PgOutbox;
pub use people::PgPeopleDirectory;
pub use photos::PgPhotoRepository;
pub use social_graph::PgSocialGraph;
pub use tls::{PgConnectOptions, PgUrlError, SslMode};
pub use users::PgUserRepository;

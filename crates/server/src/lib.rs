//! The `sakura-server` binary's library: configuration, wiring, telemetry and shutdown.
//!
//! # Layout
//! - [`config`]: environment variables, validated at start.
//! - [`startup`]: [`Application::build`] creates the database if missing, migrates, connects
//!   Redis, turns the adapters into ports and binds the listener; [`Application::run_until_stopped`]
//!   serves until SIGTERM or ctrl-c. Its `wiring` module has one function per feature building
//!   that feature's services (`sakura_services`) and the list naming each feature once.
//! - `shutdown`: the OS signal, then the order of a graceful stop — the shutdown signal the
//!   WebSocket hears (sockets close with 1001), then the HTTP server (in-flight requests finish).
//! - [`telemetry`]: the tracing subscriber.
//! - `events`: the background event publisher, the outbox relay, and the bus they deliver to
//!   (a logging one until realtime brings Redis).
//!
//! `main.rs` only parses the command line and calls these.

pub mod config;
mod events;
pub mod healthcheck;
mod shutdown;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;

//! The `sakura-server` binary's library: configuration, wiring, telemetry and shutdown.
//!
//! # Layout
//! - [`config`]: environment variables, validated at start.
//! - [`startup`]: [`Application::build`] creates the database if missing, migrates, connects
//!   Redis, wires adapters into use cases and binds the listener; [`Application::run_until_stopped`]
//!   serves until SIGTERM or ctrl-c.
//! - [`telemetry`]: the tracing subscriber.
//! - `events`: the background event publisher, the outbox relay, and the bus they deliver to
//!   (a logging one until realtime brings Redis).
//!
//! `main.rs` only parses the command line and calls these.

pub mod config;
mod events;
pub mod healthcheck;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;

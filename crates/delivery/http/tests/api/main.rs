//! HTTP-level tests: the real `App` (routes, extractors, error mapping) over the in-memory fakes
//! of `sakura_application::testing`, through `actix_web::test`. They prove each status and
//! `code` a feature answers without PostgreSQL or Redis; `sakura_server`'s suite proves the same
//! app over the real adapters.
//!
//! One binary with a module per feature, so the suite links once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod blocks;
mod bodies;
mod errors;
mod friends;
mod metrics;
mod notifications;
mod openapi;
mod ops;
mod photos;
mod support;
mod users;

//! What Sakura's two delivery crates, `sakura_http` and `sakura_ws`, share, so neither needs the
//! other: the use cases each feature drives, the check of an access token, the metrics registry
//! and the shutdown signal.
//!
//! # Layout
//! - [`auth`], [`users`], [`friends`], [`blocks`], [`notifications`], [`photos`], [`chats`],
//!   [`ops`]: one service struct per feature, holding the use cases its handlers (and frames)
//!   call. The server builds each in its own wiring function; the delivery crates take them as
//!   app data.
//! - [`authentication`]: a bearer token or an auth-frame token to a [`Principal`], with the
//!   stable codes of each failure (`unauthenticated`, `invalid_token`, `token_expired`,
//!   `session_revoked`).
//! - [`metrics`]: the one Prometheus registry every crate registers its families in, with the
//!   process, build and connection-pool metrics the server adds.
//! - [`shutdown`]: the signal the server fires before it stops, so sockets close with 1001
//!   while requests in flight finish.
//!
//! No web framework here: plain structs of use cases plus two small pieces of `tokio::sync`.
//!
//! [`Principal`]: sakura_application::auth::Principal

pub mod auth;
pub mod authentication;
pub mod blocks;
pub mod chats;
pub mod friends;
pub mod metrics;
pub mod notifications;
pub mod ops;
pub mod photos;
pub mod shutdown;
pub mod users;

pub use auth::AuthServices;
pub use authentication::{AuthFailure, Authentication};
pub use blocks::BlockServices;
pub use chats::ChatServices;
pub use friends::FriendServices;
pub use metrics::{MetricsRegistry, PoolProbe, PoolStatus};
pub use notifications::NotificationServices;
pub use ops::OpsServices;
pub use photos::PhotoServices;
pub use shutdown::{ConnectionGuard, Shutdown, ShutdownTrigger};
pub use users::UserServices;

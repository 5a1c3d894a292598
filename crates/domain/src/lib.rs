//! Sakura's domain: entities, value objects and the rules that hold whatever the delivery or storage.
//!
//! # Layout
//! - [`ids`]: typed UUID v7 identifiers (`UserId`, `SessionId`, `PhotoId`, `ChatId`, ...).
//! - [`clock`]: [`clock::now`], the system time at the precision Sakura stores (use cases read
//!   it through the application's `Clock` port).
//! - [`notifications`]: what a user is told about, and about what ([`notifications::Subject`]).
//! - [`users`]: the samurai themselves — names, emails, profile, settings.
//! - [`auth`]: password policy and the shape of a login session.
//! - [`friends`]: the friendship state machine, relations and who may see what.
//! - [`photos`]: photos and their captions.
//! - [`chats`]: chats and messages — titles, texts, emoji, who may write to whom, and how text
//!   is cut into words for search.
//!
//! Types here *parse, not validate*: a value that exists is a valid one. Constructors return a
//! typed error that says what was wrong, so each edge (HTTP, WebSocket) can phrase it its own way.

pub mod auth;
pub mod chats;
pub mod clock;
pub mod friends;
pub mod ids;
pub mod notifications;
pub mod photos;
pub mod users;

pub use ids::{ChatId, EventId, MessageId, NotificationId, PhotoId, PostId, SessionId, UserId};

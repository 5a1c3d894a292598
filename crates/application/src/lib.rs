//! Sakura's use cases and the ports they drive.
//!
//! # Layout
//! - [`ports`]: the traits the outside world implements (storage, tokens, hashing, events), one
//!   file each. Every method documents the error an adapter must return.
//! - [`auth`]: register, log in, refresh, log out, sessions, password change, and the check that
//!   turns an access token into an [`auth::Principal`].
//! - [`users`]: my page, other people's pages (privacy applied here), settings, search,
//!   suggestions.
//! - [`friends`], [`blocks`], [`notifications`]: the social graph and what it tells people.
//! - [`chats`]: the messenger — direct and group chats, messages, replies, reactions, read
//!   markers, unread counts and search.
//! - [`photos`]: uploads (checked, re-encoded, stored), reads under privacy, avatars.
//! - [`events`]: what use cases announce ([`events::EventEnvelope`]), written with the change
//!   and handed to the publisher after commit; [`events::relay`] heals what a crash left.
//! - [`pagination`]: keyset pages and their opaque cursors.
//! - `testing` (feature `testing`): in-memory fakes of every port, for unit tests.
//!
//! [`StoreError`] is what every store port returns; [`from_store_error!`] turns it into a use
//! case's own error. [`ReadError`] is shared by the reads of people, friends and photos.
//!
//! Use cases hold `Arc<dyn Port>`, so the delivery crates stay non-generic. Nothing here knows
//! about HTTP, SQL or Redis.

mod actor;
pub mod auth;
pub mod blocks;
pub mod chats;
pub mod events;
pub mod friends;
pub mod notifications;
pub mod pagination;
pub mod photos;
pub mod ports;
pub mod presence;
mod read_error;
mod store_error;
pub mod users;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use actor::Actor;
pub use read_error::ReadError;
pub use store_error::StoreError;

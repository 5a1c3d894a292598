//! The realtime bus between server instances: per-user event logs (for resume) and live
//! delivery to whichever instances hold a user's sockets (Redis streams and pub/sub in
//! production).

use std::sync::Arc;

use async_trait::async_trait;
use sakura_domain::{EventId, UserId};

use crate::StoreError;

/// One event as one user's sockets get it: rendered for that user by the delivery layer, opaque
/// to the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEvent {
    /// Whose sockets get it.
    pub user_id: UserId,
    /// The event's id (the same for every recipient; a redelivery repeats it).
    pub event_id: EventId,
    /// The rendered event, as the delivery layer encodes it.
    pub payload: Arc<str>,
}

/// An event with the position the bus gave it in its user's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequenced {
    /// Ordered per user: a later event of the same user has a greater position. Opaque to
    /// clients; compare with [`position_order`].
    pub position: String,
    /// The event.
    pub event: UserEvent,
}

/// What a user's log holds after a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// Every event after the position, oldest first (possibly none).
    Complete(Vec<Sequenced>),
    /// The log no longer holds (or never held) the position: events may be missing.
    Gap,
}

/// Receives what other instances publish for the users this instance subscribed to.
pub trait BroadcastListener: Send + Sync {
    /// An event published by another instance, in the order the bus assigned.
    fn received(&self, event: Sequenced);

    /// The bus (re)connected after an outage: subscriptions are restored, but events published
    /// meanwhile may have been missed by live delivery (they are in the log).
    fn reconnected(&self) {}
}

/// The bus between instances. Every method is bounded in time: when the bus cannot be reached it
/// returns `Unavailable` quickly and recovers by itself later.
#[async_trait]
pub trait Broadcast: Send + Sync {
    /// Appends each event to its user's log (kept for at least the user's last 1,000 events)
    /// and publishes it to the instances subscribed to that user; the positions, in the order of
    /// `events`. The work is pipelined, not a round trip per event.
    /// Errors: `Unavailable` (nothing is known to be appended or published).
    async fn publish(&self, events: &[UserEvent]) -> Result<Vec<String>, StoreError>;

    /// What `user`'s log holds after `position` (at most `limit` events, then `Gap`).
    /// Errors: `Unavailable`.
    async fn replay(&self, user: UserId, after: &str, limit: usize) -> Result<Replay, StoreError>;

    /// The position of `user`'s newest event, `None` while their log is empty.
    /// Errors: `Unavailable`.
    async fn newest(&self, user: UserId) -> Result<Option<String>, StoreError>;

    /// Starts live delivery of `user`'s events to this instance's listener. Returns once the bus
    /// confirmed the subscription (so an event published after it reaches the listener). While
    /// the bus is unavailable it returns `Unavailable`, but the subscription is remembered and
    /// restored when the bus is back.
    async fn subscribe(&self, user: UserId) -> Result<(), StoreError>;

    /// Stops live delivery of `user`'s events to this instance. Never fails.
    async fn unsubscribe(&self, user: UserId);
}

/// Orders two positions of one user's log (`None` if either is not a position this bus made).
pub fn position_order(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    fn parse(p: &str) -> Option<(u64, u64)> {
        let (ms, seq) = p.split_once('-')?;
        Some((ms.parse().ok()?, seq.parse().ok()?))
    }
    Some(parse(a)?.cmp(&parse(b)?))
}

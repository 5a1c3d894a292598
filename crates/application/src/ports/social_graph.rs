//! Friendships and blocks: the writes of the social graph (PostgreSQL in production).
//!
//! Each write is one transaction in which the store reads the facts under a lock, asks the use
//! case's decision what to do with them, writes exactly what the decision returned (the new
//! state, its notification, its events) and commits. The rules stay in the use case and the
//! domain; the store only guarantees that they are applied to facts nobody changes meanwhile.

use async_trait::async_trait;
use sakura_domain::UserId;
use sakura_domain::friends::{FriendshipError, PairState};
use sakura_domain::notifications::Notification;
use thiserror::Error;
use time::OffsetDateTime;

use crate::StoreError;
use crate::events::{Announce, Committed, EventEnvelope};

/// How two users stand, seen from the first (`me`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairFacts {
    /// Their friendship state.
    pub state: PairState,
    /// Whether `me` blocked the other.
    pub me_blocked_other: bool,
    /// Whether the other blocked `me`.
    pub other_blocked_me: bool,
}

impl PairFacts {
    /// Whether either blocked the other.
    pub const fn blocked(&self) -> bool {
        self.me_blocked_other || self.other_blocked_me
    }
}

/// What a friendship decision asks the store to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendshipDecision {
    /// The pair's new state.
    pub next: PairState,
    /// When the change happens (the new state's timestamps, the notification's time).
    pub at: OffsetDateTime,
    /// A notification to store with it, built by the domain.
    pub notification: Option<Notification>,
    /// The events announcing the change, written to the outbox with it.
    pub events: Vec<EventEnvelope>,
}

/// The rule a friendship write applies to the facts it read under the pair's lock. It may run
/// more than once (the store retries when a concurrent first request of the pair wins the
/// insert), so it must only compute.
pub type DecideFriendship<'a> =
    dyn Fn(&PairFacts) -> Result<FriendshipDecision, FriendshipError> + Send + Sync + 'a;

/// What a friendship write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendshipChanged {
    /// The facts it decided on.
    pub before: PairFacts,
    /// The facts after the change (no read afterwards: the store knows them).
    pub after: PairFacts,
    /// The notification it stored, if any.
    pub notification: Option<Notification>,
}

/// What a block write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockChanged {
    /// `false` when the block already existed (blocking is idempotent).
    pub created: bool,
    /// The facts before: `before.state` is the friendship state the block ended.
    pub before: PairFacts,
}

/// Why a graph write failed.
#[derive(Debug, Error)]
pub enum GraphError {
    /// The other user does not exist.
    #[error("no such user")]
    UnknownUser,
    /// The friendship rules refuse the action.
    #[error(transparent)]
    Rule(#[from] FriendshipError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The social graph's writes. Each method is one transaction.
#[async_trait]
pub trait SocialGraph: Send + Sync {
    /// Serialises with every other write of the pair, reads the pair's [`PairFacts`], calls
    /// `decide` with them and writes what it returns: the new state, the notification and the
    /// events, all or nothing. Two concurrent actions on the same pair never both decide on the
    /// same old state.
    /// Errors: `UnknownUser` (nothing written) when `other` does not exist; `Rule` with the
    /// decision's error (nothing written) when it refuses; `Store` otherwise.
    async fn change_friendship(
        &self,
        me: UserId,
        other: UserId,
        decide: &DecideFriendship<'_>,
    ) -> Result<Committed<FriendshipChanged>, GraphError>;

    /// Records, `at`, that `blocker` blocks `blocked`, ends any friendship or request between
    /// them, and writes the events `announce` makes of the facts before the block.
    /// Errors: `UnknownUser` (nothing written) when `blocked` does not exist.
    async fn block(
        &self,
        blocker: UserId,
        blocked: UserId,
        at: OffsetDateTime,
        announce: &Announce<'_, PairFacts>,
    ) -> Result<Committed<BlockChanged>, GraphError>;

    /// Lifts a block and writes the events `announce` makes, if there was a block.
    /// Returns `false` (and writes nothing) when there was none.
    async fn unblock(
        &self,
        blocker: UserId,
        blocked: UserId,
        announce: &Announce<'_, ()>,
    ) -> Result<Committed<bool>, StoreError>;

    /// How `me` and `other` stand (no such user reads as strangers).
    async fn pair(&self, me: UserId, other: UserId) -> Result<PairFacts, StoreError>;
}

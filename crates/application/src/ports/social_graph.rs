//! Friendships and blocks: the writes of the social graph (PostgreSQL in production).

use async_trait::async_trait;
use sakura_domain::UserId;
use sakura_domain::friends::{FriendAction, FriendshipError, PairState};
use sakura_domain::notifications::Notification;
use thiserror::Error;

use crate::StoreError;

/// How two users stand, seen from the first (`me`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairView {
    /// Their friendship state.
    pub state: PairState,
    /// Whether `me` blocked the other.
    pub me_blocked_other: bool,
    /// Whether the other blocked `me`.
    pub other_blocked_me: bool,
}

/// What a friendship action changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendshipChange {
    /// The state before.
    pub before: PairState,
    /// The state after.
    pub after: PairState,
    /// The notification stored with the change, if the transition asked for one.
    pub notification: Option<Notification>,
}

/// What blocking changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockChange {
    /// `false` when the block already existed (blocking is idempotent).
    pub created: bool,
    /// The friendship state it ended (now `None`).
    pub ended: PairState,
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
    /// Locks the pair's row, reads the blocks between them, applies
    /// [`sakura_domain::friends::transition`], stores the new state and, if the transition sends a
    /// notice, stores it as a notification (subject: the acting user). Two concurrent actions on
    /// the same pair are serialised, never both applied to the same old state.
    /// Errors: `UnknownUser` when `other` does not exist; `Rule` when the transition refuses.
    async fn apply(
        &self,
        me: UserId,
        other: UserId,
        action: FriendAction,
    ) -> Result<FriendshipChange, GraphError>;

    /// Records that `blocker` blocks `blocked` and ends any friendship or request between them.
    /// Errors: `UnknownUser` when `blocked` does not exist.
    async fn block(&self, blocker: UserId, blocked: UserId) -> Result<BlockChange, GraphError>;

    /// Lifts a block; `false` when there was none.
    async fn unblock(&self, blocker: UserId, blocked: UserId) -> Result<bool, StoreError>;

    /// How `me` and `other` stand (no such user reads as strangers).
    async fn pair(&self, me: UserId, other: UserId) -> Result<PairView, StoreError>;
}

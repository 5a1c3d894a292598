//! Shorthands over the write ports for tests that drive them directly: the standard decisions
//! (the use cases' own), at the system time, with no acting session and no events.

use async_trait::async_trait;
use sakura_domain::UserId;
use sakura_domain::friends::{FriendAction, PairState};
use sakura_domain::notifications::Notification;

use crate::StoreError;
use crate::friends::decide;
use sakura_domain::users::Settings;

use crate::ports::{GraphError, PairFacts, SettingsPatch, SocialGraph, UserRepository};

/// What a friendship action changed, as states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendshipChange {
    pub before: PairState,
    pub after: PairState,
    pub notification: Option<Notification>,
}

/// What a block changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockChange {
    pub created: bool,
    pub ended: PairState,
}

/// The social graph driven the way the use cases drive it.
#[async_trait]
pub trait SocialGraphExt {
    /// `me` does `action` towards `other`, decided as `ChangeFriendship` decides.
    async fn apply(
        &self,
        me: UserId,
        other: UserId,
        action: FriendAction,
    ) -> Result<FriendshipChange, GraphError>;

    /// `blocker` blocks `blocked` now, announcing nothing.
    async fn block_now(&self, blocker: UserId, blocked: UserId) -> Result<BlockChange, GraphError>;

    /// `blocker` lifts a block, announcing nothing.
    async fn unblock_now(&self, blocker: UserId, blocked: UserId) -> Result<bool, StoreError>;
}

#[async_trait]
impl<G: SocialGraph + ?Sized> SocialGraphExt for G {
    async fn apply(
        &self,
        me: UserId,
        other: UserId,
        action: FriendAction,
    ) -> Result<FriendshipChange, GraphError> {
        let decision = decide(me, other, action, sakura_domain::clock::now(), None);
        let change = self.change_friendship(me, other, &decision).await?.value;
        Ok(FriendshipChange {
            before: change.before.state,
            after: change.after.state,
            notification: change.notification,
        })
    }

    async fn block_now(&self, blocker: UserId, blocked: UserId) -> Result<BlockChange, GraphError> {
        let announce = |_: &PairFacts| Vec::new();
        let change = self
            .block(blocker, blocked, sakura_domain::clock::now(), &announce)
            .await?
            .value;
        Ok(BlockChange {
            created: change.created,
            ended: change.before.state,
        })
    }

    async fn unblock_now(&self, blocker: UserId, blocked: UserId) -> Result<bool, StoreError> {
        let announce = |(): &()| Vec::new();
        Ok(self.unblock(blocker, blocked, &announce).await?.value)
    }
}

/// The user repository's writes without their events.
#[async_trait]
pub trait UserRepositoryExt {
    /// Applies a settings patch now, announcing nothing.
    async fn update_settings_now(
        &self,
        id: UserId,
        patch: &SettingsPatch,
    ) -> Result<Settings, StoreError>;
}

#[async_trait]
impl<R: UserRepository + ?Sized> UserRepositoryExt for R {
    async fn update_settings_now(
        &self,
        id: UserId,
        patch: &SettingsPatch,
    ) -> Result<Settings, StoreError> {
        let announce = |_: &Settings| Vec::new();
        Ok(self
            .update_settings(id, patch, sakura_domain::clock::now(), &announce)
            .await?
            .value)
    }
}

//! Blocking someone.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::friends::{PairState, Relation};
use thiserror::Error;

use crate::StoreError;
use crate::events::DomainEvent;
use crate::ports::{EventPublisher, GraphError, SocialGraph};

/// Why a block failed.
#[derive(Debug, Error)]
pub enum BlockError {
    /// No such user.
    #[error("no such user")]
    UnknownUser,
    /// One cannot block oneself.
    #[error("you cannot block yourself")]
    Myself,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<StoreError> for BlockError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(e) => Self::Unavailable(e),
            StoreError::NotFound => Self::UnknownUser,
            other => Self::Unexpected(other.into()),
        }
    }
}

impl From<GraphError> for BlockError {
    fn from(error: GraphError) -> Self {
        match error {
            GraphError::UnknownUser => Self::UnknownUser,
            GraphError::Rule(rule) => Self::Unexpected(anyhow::Error::new(rule)),
            GraphError::Store(store) => store.into(),
        }
    }
}

/// Blocks a user: ends any friendship or request, and keeps them from requesting, messaging or
/// seeing the blocker. Blocking twice is fine.
#[derive(Clone)]
pub struct BlockUser {
    graph: Arc<dyn SocialGraph>,
    events: Arc<dyn EventPublisher>,
}

impl BlockUser {
    /// Wires the use case.
    pub fn new(graph: Arc<dyn SocialGraph>, events: Arc<dyn EventPublisher>) -> Self {
        Self { graph, events }
    }

    /// `blocker` blocks `blocked`; `true` when the block is new.
    #[tracing::instrument(name = "block_user", skip_all, fields(%blocker, %blocked))]
    pub async fn execute(&self, blocker: UserId, blocked: UserId) -> Result<bool, BlockError> {
        if blocker == blocked {
            return Err(BlockError::Myself);
        }
        let change = self.graph.block(blocker, blocked).await?;
        self.events
            .publish(DomainEvent::FriendshipUpdated {
                user_id: blocker,
                other_user_id: blocked,
                relation: Relation::Blocked,
            })
            .await;
        // The blocked user only learns that a friendship or request ended, not that they were
        // blocked.
        if change.ended != PairState::None {
            self.events
                .publish(DomainEvent::FriendshipUpdated {
                    user_id: blocked,
                    other_user_id: blocker,
                    relation: Relation::None,
                })
                .await;
        }
        Ok(change.created)
    }
}

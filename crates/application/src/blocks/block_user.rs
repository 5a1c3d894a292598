//! Blocking someone.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::friends::{PairState, Relation};
use thiserror::Error;

use crate::events::DomainEvent;
use crate::ports::{Clock, EventPublisher, GraphError, PairFacts, SocialGraph};
use crate::{Actor, StoreError};

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

crate::from_store_error!(BlockError, StoreError::NotFound => Self::UnknownUser);

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
    clock: Arc<dyn Clock>,
}

impl BlockUser {
    /// Wires the use case.
    pub fn new(
        graph: Arc<dyn SocialGraph>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            graph,
            events,
            clock,
        }
    }

    /// `blocker` blocks `blocked`; `true` when the block is new.
    #[tracing::instrument(name = "block_user", skip_all, fields(blocker = %blocker.user_id, %blocked))]
    pub async fn execute(&self, blocker: Actor, blocked: UserId) -> Result<bool, BlockError> {
        let Actor {
            user_id: blocker,
            session_id: origin,
        } = blocker;
        if blocker == blocked {
            return Err(BlockError::Myself);
        }
        let at = self.clock.now();
        let announce = |before: &PairFacts| {
            let mut events = vec![
                DomainEvent::FriendshipUpdated {
                    user_id: blocker,
                    other_user_id: blocked,
                    relation: Relation::Blocked,
                }
                .to(vec![blocker], origin, at),
            ];
            // The blocked user only learns that a friendship or request ended, not that they
            // were blocked.
            if before.state != PairState::None {
                events.push(
                    DomainEvent::FriendshipUpdated {
                        user_id: blocked,
                        other_user_id: blocker,
                        relation: Relation::None,
                    }
                    .to(vec![blocked], origin, at),
                );
            }
            events
        };
        let change = self
            .graph
            .block(blocker, blocked, at, &announce)
            .await?
            .publish(self.events.as_ref());
        Ok(change.created)
    }
}

//! Lifting a block.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::friends::Relation;
use thiserror::Error;

use crate::Actor;
use crate::events::DomainEvent;
use crate::ports::{Clock, EventPublisher, SocialGraph};

/// Why an unblock failed.
#[derive(Debug, Error)]
pub enum UnblockError {
    /// The caller had not blocked them.
    #[error("you have not blocked this user")]
    NotBlocked,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(UnblockError);

/// Unblocks a user; `NotBlocked` when the caller had not blocked them.
#[derive(Clone)]
pub struct UnblockUser {
    graph: Arc<dyn SocialGraph>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl UnblockUser {
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

    /// `blocker` unblocks `blocked`.
    #[tracing::instrument(name = "unblock_user", skip_all, fields(blocker = %blocker.user_id, %blocked))]
    pub async fn execute(&self, blocker: Actor, blocked: UserId) -> Result<(), UnblockError> {
        let Actor {
            user_id: blocker,
            session_id: origin,
        } = blocker;
        let at = self.clock.now();
        let announce = |(): &()| {
            vec![
                DomainEvent::FriendshipUpdated {
                    user_id: blocker,
                    other_user_id: blocked,
                    relation: Relation::None,
                }
                .to(vec![blocker], origin, at),
            ]
        };
        let unblocked = self
            .graph
            .unblock(blocker, blocked, &announce)
            .await?
            .publish(self.events.as_ref());
        if unblocked {
            Ok(())
        } else {
            Err(UnblockError::NotBlocked)
        }
    }
}

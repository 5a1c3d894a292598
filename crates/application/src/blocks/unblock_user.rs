//! Lifting a block.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::friends::Relation;

use crate::errors::ReadError;
use crate::events::DomainEvent;
use crate::ports::{EventPublisher, SocialGraph};

/// Unblocks a user; `NotFound` when the caller had not blocked them.
#[derive(Clone)]
pub struct UnblockUser {
    graph: Arc<dyn SocialGraph>,
    events: Arc<dyn EventPublisher>,
}

impl UnblockUser {
    /// Wires the use case.
    pub fn new(graph: Arc<dyn SocialGraph>, events: Arc<dyn EventPublisher>) -> Self {
        Self { graph, events }
    }

    /// `blocker` unblocks `blocked`.
    #[tracing::instrument(name = "unblock_user", skip_all, fields(%blocker, %blocked))]
    pub async fn execute(&self, blocker: UserId, blocked: UserId) -> Result<(), ReadError> {
        if !self.graph.unblock(blocker, blocked).await? {
            return Err(ReadError::NotFound);
        }
        self.events
            .publish(DomainEvent::FriendshipUpdated {
                user_id: blocker,
                other_user_id: blocked,
                relation: Relation::None,
            })
            .await;
        Ok(())
    }
}

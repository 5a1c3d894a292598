//! Sending, accepting, declining, cancelling requests and unfriending: one transition each.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::friends::{self, FriendAction, PairState, Relation};
use thiserror::Error;
use time::OffsetDateTime;

use crate::StoreError;
use crate::events::DomainEvent;
use crate::ports::{EventPublisher, GraphError, PeopleDirectory, SocialGraph};
use crate::users::PublicProfile;

/// Why a friendship action failed.
#[derive(Debug, Error)]
pub enum FriendshipError {
    /// No such user.
    #[error("no such user")]
    UnknownUser,
    /// The friendship rules refuse it (already friends, no such request, blocked...).
    #[error(transparent)]
    Rule(#[from] friends::FriendshipError),
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<StoreError> for FriendshipError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(e) => Self::Unavailable(e),
            StoreError::NotFound => Self::UnknownUser,
            other => Self::Unexpected(other.into()),
        }
    }
}

impl From<GraphError> for FriendshipError {
    fn from(error: GraphError) -> Self {
        match error {
            GraphError::UnknownUser => Self::UnknownUser,
            GraphError::Rule(rule) => Self::Rule(rule),
            GraphError::Store(store) => store.into(),
        }
    }
}

/// Where things stand after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendshipOutcome {
    /// The state before.
    pub before: PairState,
    /// The caller's relation to the other user now.
    pub relation: Relation,
    /// The other user as the caller now sees them.
    pub profile: PublicProfile,
    /// When the caller's request was sent, if this action sent one.
    pub requested_at: Option<OffsetDateTime>,
}

/// Applies one friendship action and tells both users.
#[derive(Clone)]
pub struct ChangeFriendship {
    graph: Arc<dyn SocialGraph>,
    people: Arc<dyn PeopleDirectory>,
    events: Arc<dyn EventPublisher>,
}

impl ChangeFriendship {
    /// Wires the use case.
    pub fn new(
        graph: Arc<dyn SocialGraph>,
        people: Arc<dyn PeopleDirectory>,
        events: Arc<dyn EventPublisher>,
    ) -> Self {
        Self {
            graph,
            people,
            events,
        }
    }

    /// `me` does `action` towards `other`.
    #[tracing::instrument(name = "change_friendship", skip_all, fields(%me, %other, ?action))]
    pub async fn execute(
        &self,
        me: UserId,
        other: UserId,
        action: FriendAction,
    ) -> Result<FriendshipOutcome, FriendshipError> {
        if me == other {
            return Err(friends::FriendshipError::ToSelf.into());
        }
        let change = self.graph.apply(me, other, action).await?;
        // A new request is stored with its notification, at the same instant.
        let requested_at = match change.after {
            PairState::Requested { by } if by == me && change.before == PairState::None => {
                change.notification.as_ref().map(|n| n.created_at)
            }
            _ => None,
        };
        // Committed: now tell both sides, and the recipient of any notification.
        let after = self.graph.pair(me, other).await?;
        let mine = Relation::between(me, other, after.state, after.me_blocked_other);
        let theirs = Relation::between(other, me, after.state, after.other_blocked_me);
        self.events
            .publish(DomainEvent::FriendshipUpdated {
                user_id: me,
                other_user_id: other,
                relation: mine,
            })
            .await;
        self.events
            .publish(DomainEvent::FriendshipUpdated {
                user_id: other,
                other_user_id: me,
                relation: theirs,
            })
            .await;
        if let Some(notification) = change.notification {
            self.events
                .publish(DomainEvent::NotificationCreated(notification))
                .await;
        }
        let card = self.people.cards(me, &[other]).await?.into_iter().next();
        let card = card.ok_or(FriendshipError::UnknownUser)?;
        Ok(FriendshipOutcome {
            before: change.before,
            relation: mine,
            profile: PublicProfile::of(me, &card),
            requested_at,
        })
    }
}

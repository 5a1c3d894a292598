//! Sending, accepting, declining, cancelling requests and unfriending: one transition each.
//!
//! The use case owns the decision ([`decide`]): the store locks the pair, hands over the facts,
//! and writes what the decision returns — the new state, the domain's notification and the
//! events for both users — in one transaction. Nothing is read again afterwards.

use std::sync::Arc;

use sakura_domain::friends::{self, FriendAction, PairState, Relation, transition};
use sakura_domain::{SessionId, UserId};
use thiserror::Error;
use time::OffsetDateTime;

use crate::events::DomainEvent;
use crate::ports::{
    Clock, EventPublisher, FriendshipDecision, GraphError, PairFacts, PeopleDirectory, SocialGraph,
};
use crate::users::PublicProfile;
use crate::{Actor, StoreError};

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

crate::from_store_error!(FriendshipError, StoreError::NotFound => Self::UnknownUser);

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

/// The decision of `me` doing `action` towards `other` at `at`, from session `origin`: the
/// domain's transition, its notice made a notification, and a `friendship.updated` for each side
/// (and a `notification.new` for its recipient).
pub fn decide(
    me: UserId,
    other: UserId,
    action: FriendAction,
    at: OffsetDateTime,
    origin: Option<SessionId>,
) -> impl Fn(&PairFacts) -> Result<FriendshipDecision, friends::FriendshipError> + Send + Sync {
    move |facts: &PairFacts| {
        let step = transition(me, other, facts.state, action, facts.blocked())?;
        let notification = step.notice.map(|notice| notice.into_notification(at));
        let mine = Relation::between(me, other, step.next, facts.me_blocked_other);
        let theirs = Relation::between(other, me, step.next, facts.other_blocked_me);
        let mut events = vec![
            DomainEvent::FriendshipUpdated {
                user_id: me,
                other_user_id: other,
                relation: mine,
            }
            .to(vec![me], origin, at),
            DomainEvent::FriendshipUpdated {
                user_id: other,
                other_user_id: me,
                relation: theirs,
            }
            .to(vec![other], origin, at),
        ];
        if let Some(notification) = &notification {
            events.push(DomainEvent::NotificationCreated(notification.clone()).to(
                vec![notification.recipient],
                origin,
                at,
            ));
        }
        Ok(FriendshipDecision {
            next: step.next,
            at,
            notification,
            events,
        })
    }
}

/// Applies one friendship action and tells both users.
#[derive(Clone)]
pub struct ChangeFriendship {
    graph: Arc<dyn SocialGraph>,
    people: Arc<dyn PeopleDirectory>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl ChangeFriendship {
    /// Wires the use case.
    pub fn new(
        graph: Arc<dyn SocialGraph>,
        people: Arc<dyn PeopleDirectory>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            graph,
            people,
            events,
            clock,
        }
    }

    /// `me` does `action` towards `other`.
    #[tracing::instrument(name = "change_friendship", skip_all, fields(me = %me.user_id, %other, ?action))]
    pub async fn execute(
        &self,
        me: Actor,
        other: UserId,
        action: FriendAction,
    ) -> Result<FriendshipOutcome, FriendshipError> {
        let Actor {
            user_id: me,
            session_id: origin,
        } = me;
        if me == other {
            return Err(friends::FriendshipError::ToSelf(action).into());
        }
        let decision = decide(me, other, action, self.clock.now(), origin);
        let change = self
            .graph
            .change_friendship(me, other, &decision)
            .await?
            .publish(self.events.as_ref());
        // A new request is stored with its notification, at the same instant.
        let requested_at = match change.after.state {
            PairState::Requested { by } if by == me && change.before.state == PairState::None => {
                change.notification.as_ref().map(|n| n.created_at)
            }
            _ => None,
        };
        let relation =
            Relation::between(me, other, change.after.state, change.after.me_blocked_other);
        let card = self.people.cards(me, &[other]).await?.into_iter().next();
        let card = card.ok_or(FriendshipError::UnknownUser)?;
        Ok(FriendshipOutcome {
            before: change.before.state,
            relation,
            profile: PublicProfile::of(me, &card),
            requested_at,
        })
    }
}

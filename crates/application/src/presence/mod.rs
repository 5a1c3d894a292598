//! Online and offline: a user is online while any instance holds a socket of theirs, and their
//! friends hear when that starts and ends.

use std::sync::Arc;

use sakura_domain::UserId;
use time::OffsetDateTime;

use crate::events::DomainEvent;
use crate::ports::{Clock, EventPublisher, PeopleDirectory, Presence};

/// Expired leases ended per sweep call.
const SWEEP_BATCH: usize = 500;

/// Keeps presence for this instance's sockets and announces changes to friends.
///
/// Presence never fails a connection: when its store is down the change is logged and heals
/// with the next [`TrackPresence::renew`] (friends then miss that one `presence` event, and see
/// the right state in every `User` they load).
#[derive(Clone)]
pub struct TrackPresence {
    presence: Arc<dyn Presence>,
    people: Arc<dyn PeopleDirectory>,
    events: Arc<dyn EventPublisher>,
    clock: Arc<dyn Clock>,
}

impl TrackPresence {
    /// Wires the use case.
    pub fn new(
        presence: Arc<dyn Presence>,
        people: Arc<dyn PeopleDirectory>,
        events: Arc<dyn EventPublisher>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            presence,
            people,
            events,
            clock,
        }
    }

    /// This instance opened its first socket of `user`. Friends get `presence` online if no
    /// other instance held them.
    pub async fn connected(&self, user: UserId) {
        match self.presence.hold(user, self.clock.now()).await {
            Ok(true) => self.announce(user, true, None).await,
            Ok(false) => {}
            Err(error) => tracing::warn!(error = %error, %user, "presence not recorded"),
        }
    }

    /// This instance closed its last socket of `user`. Friends get `presence` offline if no
    /// other instance holds them.
    pub async fn disconnected(&self, user: UserId) {
        let now = self.clock.now();
        match self.presence.release(user, now).await {
            Ok(true) => self.announce(user, false, Some(now)).await,
            Ok(false) => {}
            Err(error) => tracing::warn!(error = %error, %user, "presence release not recorded"),
        }
    }

    /// Renews this instance's hold on `users` (all it holds sockets of).
    pub async fn renew(&self, users: &[UserId]) {
        if let Err(error) = self.presence.renew(users, self.clock.now()).await {
            tracing::warn!(error = %error, users = users.len(), "presence not renewed");
        }
    }

    /// Ends the holds of instances that stopped renewing them (they died) and tells the
    /// friends of users that left offline; how many went offline.
    pub async fn sweep(&self) -> usize {
        let mut total = 0;
        loop {
            let gone = match self.presence.sweep(self.clock.now(), SWEEP_BATCH).await {
                Ok(gone) => gone,
                Err(error) => {
                    tracing::warn!(error = %error, "presence sweep failed; retrying later");
                    return total;
                }
            };
            let count = gone.len();
            for (user, last_seen) in gone {
                self.announce(user, false, Some(last_seen)).await;
            }
            total += count;
            if count < SWEEP_BATCH {
                return total;
            }
        }
    }

    async fn announce(&self, user: UserId, online: bool, last_seen_at: Option<OffsetDateTime>) {
        let friends = match self.people.friend_ids(user).await {
            Ok(friends) => friends,
            Err(error) => {
                tracing::warn!(error = %error, %user, "presence change not announced");
                return;
            }
        };
        if friends.is_empty() {
            return;
        }
        let event = DomainEvent::Presence {
            user_id: user,
            online,
            last_seen_at,
        };
        self.events
            .publish(vec![event.to(friends, None, self.clock.now())]);
    }
}

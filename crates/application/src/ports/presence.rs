//! Who is online: each instance leases the users it holds sockets of, and a lease that is not
//! renewed (its instance died) expires.

use async_trait::async_trait;
use sakura_domain::UserId;
use time::OffsetDateTime;

use crate::StoreError;

/// A user's presence as others see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PresenceState {
    /// Whether they have a socket open on any instance.
    pub online: bool,
    /// When their last socket closed (`None` while online, or if never seen).
    pub last_seen_at: Option<OffsetDateTime>,
}

/// Presence across instances. Every method returns `Unavailable` when the store cannot be
/// reached; presence then stays as it was and heals with the next [`Presence::renew`].
#[async_trait]
pub trait Presence: Send + Sync {
    /// This instance now holds a socket of `user` (its first). `true` if that made the user
    /// online (no other instance held them).
    async fn hold(&self, user: UserId, now: OffsetDateTime) -> Result<bool, StoreError>;

    /// This instance no longer holds any socket of `user`. `true` if that made the user
    /// offline (no other instance holds them): their last seen time is then `now`.
    async fn release(&self, user: UserId, now: OffsetDateTime) -> Result<bool, StoreError>;

    /// Renews this instance's leases of `users` (all the users it holds), re-creating any the
    /// store lost.
    async fn renew(&self, users: &[UserId], now: OffsetDateTime) -> Result<(), StoreError>;

    /// Ends leases that expired (their instance stopped renewing them), at most `limit`; the
    /// users that made offline, with their last seen time. Each expired lease is ended by one
    /// caller only, whichever instance sweeps first.
    async fn sweep(
        &self,
        now: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<(UserId, OffsetDateTime)>, StoreError>;

    /// The presence of each of `users`, in their order; one round trip.
    async fn states(&self, users: &[UserId]) -> Result<Vec<PresenceState>, StoreError>;
}

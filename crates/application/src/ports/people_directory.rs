//! Reading people: profiles as a viewer sees them, lists, search, suggestions.

use async_trait::async_trait;
use sakura_domain::UserId;
use sakura_domain::friends::PairState;
use sakura_domain::users::User;
use time::OffsetDateTime;

use crate::StoreError;
use crate::pagination::{Page, PageRequest};
use crate::ports::PresenceState;

/// A user with what a viewer's view of them needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCard {
    /// The user.
    pub user: User,
    /// Their friendship state with the viewer.
    pub pair: PairState,
    /// Whether the viewer blocked them.
    pub viewer_blocked: bool,
    /// Whether they blocked the viewer.
    pub blocked_viewer: bool,
    /// How many friends they have.
    pub friends_count: u64,
    /// How many photos they have.
    pub photos_count: u64,
    /// The blob key of their avatar (its thumbnail), if they chose one.
    pub avatar_key: Option<String>,
    /// Whether they are online. Stores of people leave it offline; [`crate::users::WithPresence`]
    /// fills it from the presence store, in one batch per call.
    pub presence: PresenceState,
}

/// Which pending requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestDirection {
    /// Sent to me.
    Incoming,
    /// Sent by me.
    Outgoing,
}

/// A user in a list, with when they got there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    /// The user.
    pub user_id: UserId,
    /// When (friends since, requested at, blocked at).
    pub at: OffsetDateTime,
}

/// A suggested person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion {
    /// The user.
    pub user_id: UserId,
    /// Friends we share.
    pub mutual_friends: u64,
}

/// Read queries over people. Lists are keyset-paginated; each method's order is part of its
/// contract. All return `Unavailable` when the store cannot be reached.
#[async_trait]
pub trait PeopleDirectory: Send + Sync {
    /// The cards of `ids` as `viewer` sees them, in the order of `ids`; unknown ids are skipped.
    async fn cards(&self, viewer: UserId, ids: &[UserId]) -> Result<Vec<UserCard>, StoreError>;

    /// `owner`'s friends, newest friendship first; `name` keeps those whose name contains it or
    /// nearly matches it.
    async fn friends(
        &self,
        owner: UserId,
        name: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError>;

    /// Every friend of `user`, in no particular order (whom a presence change is told to).
    async fn friend_ids(&self, user: UserId) -> Result<Vec<UserId>, StoreError>;

    /// Friends `a` and `b` share, newest friendship (with `a`) first.
    async fn mutual_friends(
        &self,
        a: UserId,
        b: UserId,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError>;

    /// Pending requests to or from `me`, newest first.
    async fn requests(
        &self,
        me: UserId,
        direction: RequestDirection,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError>;

    /// The users `me` blocked, newest first.
    async fn blocks(&self, me: UserId, page: PageRequest) -> Result<Page<Dated>, StoreError>;

    /// People whose name matches `query` (typo-tolerant), best match first; never `viewer` nor
    /// anyone who blocked `viewer`.
    async fn search(
        &self,
        viewer: UserId,
        query: &str,
        page: PageRequest,
    ) -> Result<Page<UserId>, StoreError>;

    /// People `viewer` may know: most mutual friends first, then those in `viewer`'s city;
    /// never `viewer`, their friends, anyone with a pending request either way, or anyone
    /// blocked either way.
    async fn suggestions(
        &self,
        viewer: UserId,
        page: PageRequest,
    ) -> Result<Page<Suggestion>, StoreError>;
}

//! Pending friend requests.

use std::sync::Arc;

use sakura_domain::UserId;
use time::OffsetDateTime;

use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::{PeopleDirectory, RequestDirection};
use crate::users::PublicProfile;

/// A pending request, to or from the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendRequest {
    /// The other user.
    pub user: PublicProfile,
    /// Which way it goes.
    pub direction: RequestDirection,
    /// When it was sent.
    pub created_at: OffsetDateTime,
}

/// Lists pending requests, newest first.
#[derive(Clone)]
pub struct ListRequests {
    people: Arc<dyn PeopleDirectory>,
}

impl ListRequests {
    /// Wires the use case.
    pub fn new(people: Arc<dyn PeopleDirectory>) -> Self {
        Self { people }
    }

    /// `me`'s requests in `direction`.
    pub async fn execute(
        &self,
        me: UserId,
        direction: RequestDirection,
        page: PageRequest,
    ) -> Result<Page<FriendRequest>, ReadError> {
        let requests = self.people.requests(me, direction, page).await?;
        let ids: Vec<UserId> = requests.items.iter().map(|d| d.user_id).collect();
        let cards = self.people.cards(me, &ids).await?;
        let items = requests
            .items
            .iter()
            .filter_map(|d| {
                let card = cards.iter().find(|c| c.user.id == d.user_id)?;
                Some(FriendRequest {
                    user: PublicProfile::of(me, card),
                    direction,
                    created_at: d.at,
                })
            })
            .collect();
        Ok(Page {
            items,
            next: requests.next,
        })
    }
}

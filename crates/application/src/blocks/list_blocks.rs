//! The people I blocked.

use std::sync::Arc;

use sakura_domain::UserId;
use time::OffsetDateTime;

use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::PeopleDirectory;
use crate::users::PublicProfile;

/// Someone the caller blocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedUser {
    /// Them, as the caller sees them.
    pub user: PublicProfile,
    /// Since when.
    pub blocked_at: OffsetDateTime,
}

/// Lists the caller's blocks, newest first.
#[derive(Clone)]
pub struct ListBlocks {
    people: Arc<dyn PeopleDirectory>,
}

impl ListBlocks {
    /// Wires the use case.
    pub fn new(people: Arc<dyn PeopleDirectory>) -> Self {
        Self { people }
    }

    /// A page of `me`'s blocks.
    pub async fn execute(
        &self,
        me: UserId,
        page: PageRequest,
    ) -> Result<Page<BlockedUser>, ReadError> {
        let blocks = self.people.blocks(me, page).await?;
        let ids: Vec<UserId> = blocks.items.iter().map(|d| d.user_id).collect();
        let cards = self.people.cards(me, &ids).await?;
        let items = blocks
            .items
            .iter()
            .filter_map(|d| {
                let card = cards.iter().find(|c| c.user.id == d.user_id)?;
                Some(BlockedUser {
                    user: PublicProfile::of(me, card),
                    blocked_at: d.at,
                })
            })
            .collect();
        Ok(Page {
            items,
            next: blocks.next,
        })
    }
}

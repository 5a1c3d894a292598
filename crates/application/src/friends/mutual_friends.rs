//! Friends the caller shares with someone.

use std::sync::Arc;

use sakura_domain::UserId;

use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::PeopleDirectory;
use crate::users::PublicProfile;

/// Lists the friends the caller and another user share. They are the caller's own friends, so
/// the other's friends privacy does not hide them; a block does.
#[derive(Clone)]
pub struct MutualFriends {
    people: Arc<dyn PeopleDirectory>,
}

impl MutualFriends {
    /// Wires the use case.
    pub fn new(people: Arc<dyn PeopleDirectory>) -> Self {
        Self { people }
    }

    /// Friends shared by `viewer` and `other`.
    pub async fn execute(
        &self,
        viewer: UserId,
        other: UserId,
        page: PageRequest,
    ) -> Result<Page<PublicProfile>, ReadError> {
        let card = self
            .people
            .cards(viewer, &[other])
            .await?
            .into_iter()
            .next();
        card.filter(|c| !c.blocked_viewer)
            .ok_or(ReadError::NotFound)?;
        let mutual = self.people.mutual_friends(viewer, other, page).await?;
        crate::users::profiles(self.people.as_ref(), viewer, mutual.map(|d| d.user_id)).await
    }
}

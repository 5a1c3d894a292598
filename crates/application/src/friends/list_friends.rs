//! A user's friends.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::friends::{Relation, can_see};

use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::PeopleDirectory;
use crate::users::PublicProfile;

/// Lists a user's friends, newest friendship first, if their privacy lets the caller see them.
#[derive(Clone)]
pub struct ListFriends {
    people: Arc<dyn PeopleDirectory>,
}

impl ListFriends {
    /// Wires the use case.
    pub fn new(people: Arc<dyn PeopleDirectory>) -> Self {
        Self { people }
    }

    /// `owner`'s friends as `viewer` may see them; `name` filters by name.
    pub async fn execute(
        &self,
        viewer: UserId,
        owner: UserId,
        name: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<PublicProfile>, ReadError> {
        let card = self
            .people
            .cards(viewer, &[owner])
            .await?
            .into_iter()
            .next();
        let card = card
            .filter(|c| !c.blocked_viewer)
            .ok_or(ReadError::NotFound)?;
        let relation = Relation::between(viewer, owner, card.pair, card.viewer_blocked);
        if !can_see(card.user.settings.privacy.friends, relation) {
            return Err(ReadError::Hidden);
        }
        let friends = self.people.friends(owner, name, page).await?;
        let ids = friends.map(|d| d.user_id);
        crate::users::profiles(self.people.as_ref(), viewer, ids).await
    }
}

//! People I may know.

use std::sync::Arc;

use sakura_domain::UserId;

use super::PublicProfile;
use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::PeopleDirectory;

/// A suggested person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedPerson {
    /// Their profile as I may see it.
    pub profile: PublicProfile,
    /// Friends we share.
    pub mutual_friends: u64,
}

/// Suggests people ranked by mutual friends, then shared city.
#[derive(Clone)]
pub struct SuggestPeople {
    people: Arc<dyn PeopleDirectory>,
}

impl SuggestPeople {
    /// Wires the use case.
    pub fn new(people: Arc<dyn PeopleDirectory>) -> Self {
        Self { people }
    }

    /// A page of suggestions for `viewer`.
    pub async fn execute(
        &self,
        viewer: UserId,
        page: PageRequest,
    ) -> Result<Page<SuggestedPerson>, ReadError> {
        let suggestions = self.people.suggestions(viewer, page).await?;
        let ids: Vec<UserId> = suggestions.items.iter().map(|s| s.user_id).collect();
        let cards = self.people.cards(viewer, &ids).await?;
        let items = suggestions
            .items
            .iter()
            .filter_map(|s| {
                let card = cards.iter().find(|c| c.user.id == s.user_id)?;
                Some(SuggestedPerson {
                    profile: PublicProfile::of(viewer, card),
                    mutual_friends: s.mutual_friends,
                })
            })
            .collect();
        Ok(Page {
            items,
            next: suggestions.next,
        })
    }
}

//! Finding people by name.

use std::sync::Arc;

use sakura_domain::UserId;

use super::PublicProfile;
use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::PeopleDirectory;

/// Longest search query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// Searches people by name, typo-tolerant, best match first.
#[derive(Clone)]
pub struct SearchUsers {
    people: Arc<dyn PeopleDirectory>,
}

impl SearchUsers {
    /// Wires the use case.
    pub fn new(people: Arc<dyn PeopleDirectory>) -> Self {
        Self { people }
    }

    /// A page of matches for `query` (already trimmed and non-empty).
    pub async fn execute(
        &self,
        viewer: UserId,
        query: &str,
        page: PageRequest,
    ) -> Result<Page<PublicProfile>, ReadError> {
        let ids = self.people.search(viewer, query, page).await?;
        super::profiles(self.people.as_ref(), viewer, ids).await
    }
}

//! Reading someone's page.

use std::sync::Arc;

use sakura_domain::UserId;

use super::PublicProfile;
use crate::ReadError;
use crate::ports::PeopleDirectory;

/// Reads a user's public profile as the caller may see it.
#[derive(Clone)]
pub struct GetProfile {
    people: Arc<dyn PeopleDirectory>,
}

impl GetProfile {
    /// Wires the use case.
    pub fn new(people: Arc<dyn PeopleDirectory>) -> Self {
        Self { people }
    }

    /// `owner`'s profile for `viewer`; `NotFound` if unknown or if the owner blocked the viewer.
    pub async fn execute(&self, viewer: UserId, owner: UserId) -> Result<PublicProfile, ReadError> {
        let card = self
            .people
            .cards(viewer, &[owner])
            .await?
            .into_iter()
            .next();
        match card {
            Some(card) if !card.blocked_viewer => Ok(PublicProfile::of(viewer, &card)),
            _ => Err(ReadError::NotFound),
        }
    }
}

//! A user's photos.

use std::sync::Arc;

use sakura_domain::UserId;
use sakura_domain::photos::Photo;

use super::access::may_see_photos;
use crate::ReadError;
use crate::pagination::{Page, PageRequest};
use crate::ports::{PeopleDirectory, PhotoRepository};

/// Lists a user's photos, newest first, if their privacy lets the caller see them.
#[derive(Clone)]
pub struct ListPhotos {
    photos: Arc<dyn PhotoRepository>,
    people: Arc<dyn PeopleDirectory>,
}

impl ListPhotos {
    /// Wires the use case.
    pub fn new(photos: Arc<dyn PhotoRepository>, people: Arc<dyn PeopleDirectory>) -> Self {
        Self { photos, people }
    }

    /// A page of `owner`'s photos for `viewer`.
    pub async fn execute(
        &self,
        viewer: UserId,
        owner: UserId,
        page: PageRequest,
    ) -> Result<Page<Photo>, ReadError> {
        may_see_photos(self.people.as_ref(), viewer, owner).await?;
        Ok(self.photos.list_by_owner(owner, page).await?)
    }
}

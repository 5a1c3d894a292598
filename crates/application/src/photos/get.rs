//! Reading a photo.

use std::sync::Arc;

use sakura_domain::photos::Photo;
use sakura_domain::{PhotoId, UserId};

use super::access::may_see_photos;
use crate::ReadError;
use crate::ports::{PeopleDirectory, PhotoRepository};

/// Reads a photo if its owner's privacy lets the caller see it.
#[derive(Clone)]
pub struct GetPhoto {
    photos: Arc<dyn PhotoRepository>,
    people: Arc<dyn PeopleDirectory>,
}

impl GetPhoto {
    /// Wires the use case.
    pub fn new(photos: Arc<dyn PhotoRepository>, people: Arc<dyn PeopleDirectory>) -> Self {
        Self { photos, people }
    }

    /// The photo `id` as `viewer` may see it.
    pub async fn execute(&self, viewer: UserId, id: PhotoId) -> Result<Photo, ReadError> {
        let photo = self.photos.find(id).await?.ok_or(ReadError::NotFound)?;
        may_see_photos(self.people.as_ref(), viewer, photo.owner).await?;
        Ok(photo)
    }
}

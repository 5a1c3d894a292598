//! Editing a photo's caption.

use std::sync::Arc;

use sakura_domain::photos::{Caption, Photo};
use sakura_domain::{PhotoId, UserId};

use super::PhotoChangeError;
use super::access::not_yours;
use crate::ports::{PeopleDirectory, PhotoRepository};

/// Sets or clears the caption of one of the caller's photos (`None`: leaves it).
#[derive(Clone)]
pub struct UpdateCaption {
    photos: Arc<dyn PhotoRepository>,
    people: Arc<dyn PeopleDirectory>,
}

impl UpdateCaption {
    /// Wires the use case.
    pub fn new(photos: Arc<dyn PhotoRepository>, people: Arc<dyn PeopleDirectory>) -> Self {
        Self { photos, people }
    }

    /// `me` captions photo `id`; `Forbidden` if it is someone else's, `NotFound`
    /// (as for reading it) if its owner blocked `me`.
    pub async fn execute(
        &self,
        me: UserId,
        id: PhotoId,
        caption: Option<Option<Caption>>,
    ) -> Result<Photo, PhotoChangeError> {
        let photo = self
            .photos
            .find(id)
            .await?
            .ok_or(PhotoChangeError::NotFound)?;
        if photo.owner != me {
            return Err(not_yours(self.people.as_ref(), me, photo.owner).await);
        }
        match caption {
            Some(caption) => Ok(self.photos.update_caption(me, id, caption.as_ref()).await?),
            None => Ok(photo),
        }
    }
}

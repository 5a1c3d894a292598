//! Editing a photo's caption.

use std::sync::Arc;

use sakura_domain::photos::{Caption, Photo};
use sakura_domain::{PhotoId, UserId};

use super::PhotoChangeError;
use crate::ports::PhotoRepository;

/// Sets or clears the caption of one of the caller's photos.
#[derive(Clone)]
pub struct UpdateCaption {
    photos: Arc<dyn PhotoRepository>,
}

impl UpdateCaption {
    /// Wires the use case.
    pub fn new(photos: Arc<dyn PhotoRepository>) -> Self {
        Self { photos }
    }

    /// `me` captions photo `id`; `Forbidden` if it is someone else's.
    pub async fn execute(
        &self,
        me: UserId,
        id: PhotoId,
        caption: Option<Caption>,
    ) -> Result<Photo, PhotoChangeError> {
        let photo = self
            .photos
            .find(id)
            .await?
            .ok_or(PhotoChangeError::NotFound)?;
        if photo.owner != me {
            return Err(PhotoChangeError::Forbidden);
        }
        Ok(self.photos.update_caption(me, id, caption.as_ref()).await?)
    }
}

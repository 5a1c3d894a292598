//! Choosing an avatar.

use std::sync::Arc;

use sakura_domain::{PhotoId, UserId};

use super::PhotoChangeError;
use crate::ports::PhotoRepository;

/// Makes one of the caller's photos their avatar, or removes it.
#[derive(Clone)]
pub struct SetAvatar {
    photos: Arc<dyn PhotoRepository>,
}

impl SetAvatar {
    /// Wires the use case.
    pub fn new(photos: Arc<dyn PhotoRepository>) -> Self {
        Self { photos }
    }

    /// `me` uses `photo` as avatar (`None` removes it); `Forbidden` for someone else's photo.
    pub async fn execute(
        &self,
        me: UserId,
        photo: Option<PhotoId>,
    ) -> Result<(), PhotoChangeError> {
        if let Some(id) = photo {
            let found = self
                .photos
                .find(id)
                .await?
                .ok_or(PhotoChangeError::NotFound)?;
            if found.owner != me {
                return Err(PhotoChangeError::Forbidden);
            }
        }
        Ok(self.photos.set_avatar(me, photo).await?)
    }
}

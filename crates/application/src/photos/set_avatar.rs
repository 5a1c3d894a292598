//! Choosing an avatar.

use std::sync::Arc;

use sakura_domain::{PhotoId, UserId};

use super::PhotoChangeError;
use super::access::not_yours;
use crate::ports::{PeopleDirectory, PhotoRepository};

/// Makes one of the caller's photos their avatar, or removes it.
#[derive(Clone)]
pub struct SetAvatar {
    photos: Arc<dyn PhotoRepository>,
    people: Arc<dyn PeopleDirectory>,
}

impl SetAvatar {
    /// Wires the use case.
    pub fn new(photos: Arc<dyn PhotoRepository>, people: Arc<dyn PeopleDirectory>) -> Self {
        Self { photos, people }
    }

    /// `me` uses `photo` as avatar (`None` removes it); `Forbidden` for someone else's photo,
    /// `NotFound` (as for reading it) if its owner blocked `me`.
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
                return Err(not_yours(self.people.as_ref(), me, found.owner).await);
            }
        }
        Ok(self.photos.set_avatar(me, photo).await?)
    }
}

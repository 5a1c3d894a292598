//! Deleting a photo.

use std::sync::Arc;

use sakura_domain::{PhotoId, UserId};

use super::PhotoChangeError;
use super::access::not_yours;
use crate::ports::{BlobKey, BlobStore, PeopleDirectory, PhotoRepository};

/// Deletes one of the caller's photos: its row (and an avatar that used it), then its files.
#[derive(Clone)]
pub struct DeletePhoto {
    photos: Arc<dyn PhotoRepository>,
    blobs: Arc<dyn BlobStore>,
    people: Arc<dyn PeopleDirectory>,
}

impl DeletePhoto {
    /// Wires the use case.
    pub fn new(
        photos: Arc<dyn PhotoRepository>,
        blobs: Arc<dyn BlobStore>,
        people: Arc<dyn PeopleDirectory>,
    ) -> Self {
        Self {
            photos,
            blobs,
            people,
        }
    }

    /// `me` deletes photo `id`; `Forbidden` if it is someone else's, `NotFound`
    /// (as for reading it) if its owner blocked `me`.
    #[tracing::instrument(name = "delete_photo", skip_all, fields(%me, %id))]
    pub async fn execute(&self, me: UserId, id: PhotoId) -> Result<(), PhotoChangeError> {
        let photo = self
            .photos
            .find(id)
            .await?
            .ok_or(PhotoChangeError::NotFound)?;
        if photo.owner != me {
            return Err(not_yours(self.people.as_ref(), me, photo.owner).await);
        }
        let deleted = self.photos.delete(me, id).await?;
        // The row goes first: a file without a row is unreachable garbage (logged below),
        // whereas a row without its file would be a broken picture on every page showing it.
        for key in [&deleted.original.key, &deleted.thumbnail.key] {
            let Some(key) = BlobKey::parse(key) else {
                continue;
            };
            if let Err(error) = self.blobs.delete(&key).await {
                tracing::error!(%key, error = %error, "could not delete the file of a deleted photo");
            }
        }
        Ok(())
    }
}

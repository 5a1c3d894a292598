//! Photo metadata (PostgreSQL in production); the bytes are in the [`super::BlobStore`].

use async_trait::async_trait;
use sakura_domain::photos::{Caption, Photo};
use sakura_domain::{PhotoId, UserId};

use crate::StoreError;
use crate::pagination::{Page, PageRequest};

/// Photos and avatars.
#[async_trait]
pub trait PhotoRepository: Send + Sync {
    /// Which of `keys` a photo refers to (as its original or its thumbnail).
    async fn referenced_keys(
        &self,
        keys: &[super::BlobKey],
    ) -> Result<std::collections::HashSet<super::BlobKey>, StoreError>;

    /// Stores a new photo's metadata.
    async fn create(&self, photo: &Photo) -> Result<(), StoreError>;

    /// The photo, if it exists.
    async fn find(&self, id: PhotoId) -> Result<Option<Photo>, StoreError>;

    /// `owner`'s photos, newest first.
    async fn list_by_owner(
        &self,
        owner: UserId,
        page: PageRequest,
    ) -> Result<Page<Photo>, StoreError>;

    /// Sets or clears the caption of one of `owner`'s photos and returns the photo.
    /// Errors: `NotFound` when `owner` has no such photo.
    async fn update_caption(
        &self,
        owner: UserId,
        id: PhotoId,
        caption: Option<&Caption>,
    ) -> Result<Photo, StoreError>;

    /// Deletes one of `owner`'s photos, clearing an avatar that used it, in one transaction, and
    /// returns what was deleted (so its blobs can go too).
    /// Errors: `NotFound` when `owner` has no such photo.
    async fn delete(&self, owner: UserId, id: PhotoId) -> Result<Photo, StoreError>;

    /// Makes one of `owner`'s photos their avatar, or clears it with `None`.
    /// Errors: `NotFound` when `owner` has no such photo.
    async fn set_avatar(&self, owner: UserId, photo: Option<PhotoId>) -> Result<(), StoreError>;

    /// Which of `ids` exist and belong to `owner`.
    async fn owned(&self, owner: UserId, ids: &[PhotoId]) -> Result<Vec<PhotoId>, StoreError>;
}

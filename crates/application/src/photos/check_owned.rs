//! "These photos exist and are mine": what posts and messages check before attaching photos.

use std::sync::Arc;

use sakura_domain::{PhotoId, UserId};

use crate::StoreError;
use crate::ports::PhotoRepository;

/// Checks that photos exist and belong to the caller.
#[derive(Clone)]
pub struct CheckOwnPhotos {
    photos: Arc<dyn PhotoRepository>,
}

impl CheckOwnPhotos {
    /// Wires the use case.
    pub fn new(photos: Arc<dyn PhotoRepository>) -> Self {
        Self { photos }
    }

    /// The ids among `ids` that are not `me`'s photos (empty when all are).
    pub async fn execute(&self, me: UserId, ids: &[PhotoId]) -> Result<Vec<PhotoId>, StoreError> {
        let owned = self.photos.owned(me, ids).await?;
        Ok(ids
            .iter()
            .copied()
            .filter(|id| !owned.contains(id))
            .collect())
    }
}

//! Uploading a photo.

use std::sync::Arc;

use sakura_domain::photos::{Caption, Photo, Rendition};
use sakura_domain::{PhotoId, UserId};
use thiserror::Error;

use crate::StoreError;
use crate::ports::{
    BlobKey, BlobStore, Clock, EncodedImage, ImageError, ImageProcessor, PhotoRepository,
};

/// Why an upload failed.
#[derive(Debug, Error)]
pub enum UploadError {
    /// Not a JPEG, PNG, WebP or GIF by its bytes.
    #[error("unsupported image type")]
    Unsupported,
    /// Over 40 megapixels.
    #[error("image of {width}×{height} pixels is too large")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
    },
    /// Corrupt or truncated.
    #[error("the image cannot be decoded")]
    Undecodable,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(UploadError);

impl From<ImageError> for UploadError {
    fn from(error: ImageError) -> Self {
        match error {
            ImageError::Unsupported => Self::Unsupported,
            ImageError::TooManyPixels { width, height } => Self::TooManyPixels { width, height },
            ImageError::Undecodable(_) => Self::Undecodable,
            ImageError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

fn rendition(key: &BlobKey, image: &EncodedImage) -> Rendition {
    Rendition {
        key: key.as_str().to_owned(),
        content_type: image.kind.content_type().to_owned(),
        width: image.width,
        height: image.height,
        size: image.bytes.len() as u64,
    }
}

/// Checks an upload, stores its re-encoded original and thumbnail, then its metadata. A failure
/// at any step removes what the earlier steps stored: never a row without its blobs, never
/// blobs without their row.
#[derive(Clone)]
pub struct UploadPhoto {
    photos: Arc<dyn PhotoRepository>,
    blobs: Arc<dyn BlobStore>,
    images: Arc<dyn ImageProcessor>,
    clock: Arc<dyn Clock>,
}

impl UploadPhoto {
    /// Wires the use case.
    pub fn new(
        photos: Arc<dyn PhotoRepository>,
        blobs: Arc<dyn BlobStore>,
        images: Arc<dyn ImageProcessor>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            photos,
            blobs,
            images,
            clock,
        }
    }

    async fn remove_blobs(&self, original: &BlobKey, thumbnail: &BlobKey) {
        for key in [original, thumbnail] {
            if let Err(undo) = self.blobs.delete(key).await {
                tracing::error!(%key, error = %undo, "could not remove the file of a failed upload");
            }
        }
    }

    /// Uploads `bytes` as a photo of `owner`.
    #[tracing::instrument(name = "upload_photo", skip_all, fields(%owner, size = bytes.len()))]
    pub async fn execute(
        &self,
        owner: UserId,
        bytes: Vec<u8>,
        caption: Option<Caption>,
    ) -> Result<Photo, UploadError> {
        let processed = self.images.process(bytes).await?;
        let original_key = BlobKey::random(processed.original.kind);
        let thumbnail_key = BlobKey::random(processed.thumbnail.kind);
        let photo = Photo {
            id: PhotoId::new(),
            owner,
            original: rendition(&original_key, &processed.original),
            thumbnail: rendition(&thumbnail_key, &processed.thumbnail),
            caption,
            created_at: self.clock.now(),
        };
        let blobs = async {
            self.blobs
                .put(&original_key, processed.original.bytes)
                .await?;
            self.blobs
                .put(&thumbnail_key, processed.thumbnail.bytes)
                .await
        }
        .await;
        if let Err(error) = blobs {
            self.remove_blobs(&original_key, &thumbnail_key).await;
            return Err(error.into());
        }
        match self.photos.create(&photo).await {
            Ok(()) => {}
            // The insert may have committed with only the reply lost: look before removing the
            // blobs, and keep them if that cannot be told (an orphan file beats a broken photo).
            Err(StoreError::Unavailable(error)) => match self.photos.find(photo.id).await {
                Ok(Some(_)) => {}
                Ok(None) => {
                    self.remove_blobs(&original_key, &thumbnail_key).await;
                    return Err(UploadError::Unavailable(error));
                }
                Err(_) => {
                    tracing::warn!(photo_id = %photo.id, "upload outcome unknown: its files are kept");
                    return Err(UploadError::Unavailable(error));
                }
            },
            Err(error) => {
                self.remove_blobs(&original_key, &thumbnail_key).await;
                return Err(error.into());
            }
        }
        tracing::info!(photo_id = %photo.id, "photo uploaded");
        Ok(photo)
    }
}

//! Checking and transforming uploaded images.

use async_trait::async_trait;
use thiserror::Error;

use super::MediaKind;

/// An encoded image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedImage {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Their format.
    pub kind: MediaKind,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// An upload made safe to serve: the original re-encoded and a thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedImage {
    /// The picture, upright (EXIF orientation applied) and without metadata (no GPS, camera...).
    pub original: EncodedImage,
    /// The same, its longest side at most 320 px (never enlarged).
    pub thumbnail: EncodedImage,
}

/// Why an upload is refused.
#[derive(Debug, Error)]
pub enum ImageError {
    /// The bytes are not a JPEG, PNG, WebP or GIF, whatever the file's name or declared type.
    #[error("not a JPEG, PNG, WebP or GIF image")]
    Unsupported,
    /// More than 40 megapixels (checked from the header, before decoding).
    #[error("image of {width}×{height} pixels is over the 40-megapixel limit")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
    },
    /// Truncated or corrupt.
    #[error("the image cannot be decoded")]
    Undecodable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Recognises images by their bytes, decodes them within limits and re-encodes them.
/// Implementations do the work off the async workers, bounded in concurrency and memory.
#[async_trait]
pub trait ImageProcessor: Send + Sync {
    /// The largest image accepted, in pixels (width × height).
    fn max_pixels(&self) -> u64 {
        40_000_000
    }

    /// Checks and transforms an upload.
    async fn process(&self, bytes: Vec<u8>) -> Result<ProcessedImage, ImageError>;
}

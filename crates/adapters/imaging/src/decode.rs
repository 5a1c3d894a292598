//! Bounded decoding: dimensions from the header first, pixels only within the limits.

use std::io::Cursor;

use anyhow::anyhow;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use sakura_application::ports::{ImageError, MediaKind};

use crate::sniff::{image_format, jpeg_is_complete};

/// The most a decoder may allocate for one image, output buffer included. A 40-megapixel
/// 16-bit RGBA PNG needs 320 MiB, so the default limit never refuses an image `max_pixels`
/// accepts, while a crafted file cannot make the decoder reach for gigabytes.
pub(crate) const MAX_DECODER_ALLOC: u64 = 512 * 1024 * 1024;

/// Decodes `bytes` of `kind` into upright pixels, refusing more than `max_pixels` from the
/// header alone, before any pixel buffer exists.
pub(crate) fn decode_upright(
    bytes: &[u8],
    kind: MediaKind,
    max_pixels: u64,
) -> Result<DynamicImage, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(kind));
    // No width or height limit yet: an oversized header must reach the pixel check below, which
    // reports the declared size, rather than fail inside the decoder as an anonymous limit error.
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(header_limits);
    let mut decoder = reader.into_decoder().map_err(header_error)?;

    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(ImageError::TooManyPixels { width, height });
    }
    if width == 0 || height == 0 {
        return Err(ImageError::Undecodable(anyhow!(
            "the header declares an empty {width}×{height} image"
        )));
    }
    if kind == MediaKind::Jpeg && !jpeg_is_complete(bytes) {
        return Err(ImageError::Undecodable(anyhow!(
            "the JPEG ends before its end-of-image marker"
        )));
    }

    // Second line of defence, as `ImageReader::decode` does: the output buffer is charged to
    // the allocation budget and the decoder keeps the rest for its own buffers.
    let over_budget = |error: image::ImageError| match error {
        image::ImageError::Limits(_) => ImageError::TooManyPixels { width, height },
        other => pixel_error(other),
    };
    let side = u32::try_from(max_pixels).unwrap_or(u32::MAX);
    let mut limits = Limits::default();
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    limits.reserve(decoder.total_bytes()).map_err(over_budget)?;
    decoder.set_limits(limits).map_err(over_budget)?;

    // A broken EXIF block is not worth refusing a picture over: show it as stored.
    let orientation = decoder.orientation().unwrap_or_else(|error| {
        tracing::debug!(error = %error, "unreadable EXIF orientation, ignored");
        Orientation::NoTransforms
    });
    let mut image = DynamicImage::from_decoder(decoder).map_err(pixel_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Maps a failure to read the header (before the dimensions are known).
fn header_error(error: image::ImageError) -> ImageError {
    match error {
        image::ImageError::Limits(_) => ImageError::Undecodable(
            anyhow::Error::new(error).context("the header exceeds the decoder's limits"),
        ),
        other => pixel_error(other),
    }
}

/// Maps a failure to decode the pixels of an image whose size was accepted.
fn pixel_error(error: image::ImageError) -> ImageError {
    match error {
        // The size was accepted, so running over the budget means a pathological file.
        image::ImageError::Limits(_) => ImageError::Undecodable(
            anyhow::Error::new(error).context("decoding exceeds the decoder's limits"),
        ),
        // A variant of a supported format that the decoder does not implement (arithmetic-coded
        // JPEG, for instance) is still a JPEG: refused as undecodable, not as another format.
        image::ImageError::Decoding(_)
        | image::ImageError::IoError(_)
        | image::ImageError::Unsupported(_) => ImageError::Undecodable(anyhow::Error::new(error)),
        image::ImageError::Parameter(_) | image::ImageError::Encoding(_) => {
            ImageError::Unexpected(anyhow::Error::new(error).context("decode"))
        }
    }
}

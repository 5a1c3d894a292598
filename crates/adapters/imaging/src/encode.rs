//! Re-encoding from pixels, which is what drops every metadata block (EXIF with GPS, XMP, IPTC,
//! ICC profiles, PNG text chunks): the encoders below are never handed any.

use anyhow::Context;
use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType as ResizeFilter;
use image::{ColorType, DynamicImage, ExtendedColorType, ImageEncoder, ImageError as CodecError};
use sakura_application::ports::{EncodedImage, ImageError, MediaKind};

/// The longest side of a thumbnail, in pixels.
pub(crate) const THUMBNAIL_SIDE: u32 = 320;
/// JPEG quality of a re-encoded original: visually lossless for photos at about a third of the
/// size of quality 95.
const ORIGINAL_JPEG_QUALITY: u8 = 85;
/// JPEG quality of a thumbnail, which is small and seen small.
const THUMBNAIL_JPEG_QUALITY: u8 = 80;
/// NeuQuant speed (1 best, 30 fastest), used only when a GIF frame has more than 256 colours,
/// which a first frame composited over transparency rarely has: the exact palette is used
/// otherwise.
const GIF_QUANTIZER_SPEED: i32 = 10;

/// Encodes the upright picture in the kind it was uploaded as:
/// - JPEG → JPEG, quality 85 (grey stays grey);
/// - PNG → PNG, same channels and bit depth, lossless;
/// - GIF → GIF of the first frame only (animation is not kept yet);
/// - WebP → lossless WebP (the `image` crate has no lossy WebP encoder), so a lossy photo
///   upload may come out two to four times larger than it went in; the pixels are kept exactly.
pub(crate) fn encode_original(
    image: DynamicImage,
    kind: MediaKind,
) -> Result<EncodedImage, ImageError> {
    let (width, height) = (image.width(), image.height());
    let mut bytes = Vec::new();
    match kind {
        MediaKind::Jpeg => write_jpeg(&mut bytes, image, ORIGINAL_JPEG_QUALITY),
        MediaKind::Png => write_png(&mut bytes, image),
        MediaKind::Gif => {
            let rgba = image.into_rgba8();
            GifEncoder::new_with_speed(&mut bytes, GIF_QUANTIZER_SPEED).write_image(
                &rgba,
                width,
                height,
                ExtendedColorType::Rgba8,
            )
        }
        MediaKind::WebP => {
            let encoder = WebPEncoder::new_lossless(&mut bytes);
            if image.color().has_alpha() {
                let rgba = image.into_rgba8();
                encoder.write_image(&rgba, width, height, ExtendedColorType::Rgba8)
            } else {
                let rgb = image.into_rgb8();
                encoder.write_image(&rgb, width, height, ExtendedColorType::Rgb8)
            }
        }
    }
    .with_context(|| format!("encode the {width}×{height} original as {kind:?}"))?;
    Ok(EncodedImage {
        bytes,
        kind,
        width,
        height,
    })
}

/// A thumbnail whose longest side is [`THUMBNAIL_SIDE`] (or the picture's own size when it is
/// smaller: never enlarged), aspect ratio kept. It is a PNG when some pixel is not fully opaque,
/// so transparency survives, and a JPEG otherwise, whatever the original's kind.
pub(crate) fn encode_thumbnail(image: &DynamicImage) -> Result<EncodedImage, ImageError> {
    let (width, height) = thumbnail_size(image.width(), image.height());
    let small = shrink(image, width, height);
    let mut bytes = Vec::new();
    let kind = if is_translucent(&small) {
        write_png(&mut bytes, DynamicImage::ImageRgba8(small.into_rgba8()))
            .context("encode the thumbnail as PNG")?;
        MediaKind::Png
    } else {
        write_jpeg(&mut bytes, small, THUMBNAIL_JPEG_QUALITY)
            .context("encode the thumbnail as JPEG")?;
        MediaKind::Jpeg
    };
    Ok(EncodedImage {
        bytes,
        kind,
        width,
        height,
    })
}

/// The size that fits `width`×`height` within a [`THUMBNAIL_SIDE`] square, never larger.
pub(crate) fn thumbnail_size(width: u32, height: u32) -> (u32, u32) {
    let (long, short) = (width.max(height), width.min(height));
    if long <= THUMBNAIL_SIDE {
        return (width, height);
    }
    let scaled =
        (u64::from(short) * u64::from(THUMBNAIL_SIDE) + u64::from(long) / 2) / u64::from(long);
    // `scaled` < THUMBNAIL_SIDE because short <= long, so the conversion cannot fail.
    let scaled = u32::try_from(scaled).unwrap_or(THUMBNAIL_SIDE).max(1);
    if width >= height {
        (THUMBNAIL_SIDE, scaled)
    } else {
        (scaled, THUMBNAIL_SIDE)
    }
}

/// Resizes to exactly `width`×`height`. Lanczos3 gives the sharpest result but costs in
/// proportion to the source, so a large source is first box-averaged (every pixel read once,
/// no aliasing) to twice the target, which Lanczos3 then finishes.
fn shrink(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    if (image.width(), image.height()) == (width, height) {
        return image.clone();
    }
    if image.width() > 4 * width && image.height() > 4 * height {
        image.thumbnail_exact(2 * width, 2 * height).resize_exact(
            width,
            height,
            ResizeFilter::Lanczos3,
        )
    } else {
        image.resize_exact(width, height, ResizeFilter::Lanczos3)
    }
}

/// Whether any pixel is less than fully opaque.
fn is_translucent(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageLumaA8(buffer) => buffer.pixels().any(|p| p.0[1] < u8::MAX),
        DynamicImage::ImageRgba8(buffer) => buffer.pixels().any(|p| p.0[3] < u8::MAX),
        other if other.color().has_alpha() => other.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX),
        _ => false,
    }
}

/// JPEG has no alpha: grey images stay one channel, anything else becomes 8-bit RGB.
fn write_jpeg(bytes: &mut Vec<u8>, image: DynamicImage, quality: u8) -> Result<(), CodecError> {
    let mut encoder = JpegEncoder::new_with_quality(bytes, quality);
    match image.color() {
        ColorType::L8 | ColorType::L16 | ColorType::La8 | ColorType::La16 => {
            encoder.encode_image(&image.into_luma8())
        }
        _ => encoder.encode_image(&image.into_rgb8()),
    }
}

/// PNG keeps the channels and bit depth it was decoded with (the `image` crate only produces
/// float pixels for formats we do not accept; they would be written as 16-bit RGBA).
fn write_png(bytes: &mut Vec<u8>, image: DynamicImage) -> Result<(), CodecError> {
    let image = match image.color() {
        ColorType::Rgb32F | ColorType::Rgba32F => DynamicImage::ImageRgba16(image.into_rgba16()),
        _ => image,
    };
    image.write_with_encoder(PngEncoder::new_with_quality(
        bytes,
        CompressionType::Default,
        FilterType::Adaptive,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_fit_the_square_keep_the_ratio_and_never_grow() {
        assert_eq!(thumbnail_size(1000, 500), (320, 160));
        assert_eq!(thumbnail_size(500, 1000), (160, 320));
        assert_eq!(thumbnail_size(320, 320), (320, 320));
        assert_eq!(thumbnail_size(100, 50), (100, 50));
        assert_eq!(thumbnail_size(100_000, 1), (320, 1));
        assert_eq!(thumbnail_size(4000, 3000), (320, 240));
    }
}

//! Images generated for the tests, and the byte surgery to give them metadata or lies.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use sakura_application::ports::{EncodedImage, ImageError, MediaKind, ProcessedImage};

/// An opaque picture with enough detail for a lossy encoder to have work to do.
pub fn photo(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x ^ y) % 256) as u8])
    }))
}

/// At most 64 colours, so a GIF holds it exactly without quantisation.
pub fn flat_colours(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([((x / 16) % 4 * 80) as u8, ((y / 16) % 4 * 80) as u8, 128])
    }))
}

/// A picture whose right half is fully transparent.
pub fn half_transparent(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgba([200, 30, 30, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    }))
}

/// Left half red, right half blue: shows which way a picture was turned.
pub fn red_left_blue_right(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    }))
}

/// `image` encoded as `format` by the `image` crate.
pub fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// Decodes output bytes, checking they are the kind they claim to be.
pub fn decode_checked(encoded: &EncodedImage) -> DynamicImage {
    let format = image::guess_format(&encoded.bytes).unwrap();
    let expected = match encoded.kind {
        MediaKind::Jpeg => ImageFormat::Jpeg,
        MediaKind::Png => ImageFormat::Png,
        MediaKind::WebP => ImageFormat::WebP,
        MediaKind::Gif => ImageFormat::Gif,
    };
    assert_eq!(format, expected, "the bytes are not what `kind` says");
    let image = image::load_from_memory_with_format(&encoded.bytes, format).unwrap();
    assert_eq!(
        (image.width(), image.height()),
        (encoded.width, encoded.height),
        "the reported size is not the encoded one"
    );
    image
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// A PNG chunk: length, type, data, CRC of type and data.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    let length = u32::try_from(data.len()).unwrap();
    [
        &length.to_be_bytes()[..],
        kind,
        data,
        &crc.finalize().to_be_bytes(),
    ]
    .concat()
}

/// A well-formed PNG that declares `width`×`height` RGB pixels but carries a few bytes of
/// image data: cheap to send, ruinous to decode.
pub fn png_header_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, adaptive, no interlace
    // A zlib stream of a few zero bytes.
    let idat = [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01];
    [
        &b"\x89PNG\r\n\x1a\n"[..],
        &png_chunk(b"IHDR", &ihdr),
        &png_chunk(b"IDAT", &idat),
        &png_chunk(b"IEND", &[]),
    ]
    .concat()
}

/// `png` with a chunk inserted right after IHDR (which always ends at byte 33).
pub fn with_png_chunk(png: &[u8], chunk: &[u8]) -> Vec<u8> {
    [&png[..33], chunk, &png[33..]].concat()
}

/// `jpeg` with its frame header (SOF0, as the `image` crate writes) patched to `width`×`height`.
pub fn jpeg_declaring(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut bytes = jpeg.to_vec();
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    // FF C0, length (2), precision (1), height (2), width (2).
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

/// A GIF header declaring a `width`×`height` logical screen, with one 1×1 frame.
pub fn gif_declaring(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.extend_from_slice(&[0x80, 0, 0]); // global colour table of 2 entries
    bytes.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    bytes.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // image descriptor, 1×1
    bytes.extend_from_slice(&[0x02, 0x02, 0x44, 0x01, 0x00]); // LZW data
    bytes.push(0x3B);
    bytes
}

/// GPS latitude 35° 39' 31.17" N, longitude 139° 44' 28.46" E, as EXIF rationals.
pub const LATITUDE: [(u32, u32); 3] = [(35, 1), (39, 1), (3117, 100)];
/// See [`LATITUDE`].
pub const LONGITUDE: [(u32, u32); 3] = [(139, 1), (44, 1), (2846, 100)];

/// A little-endian TIFF block: IFD0 with Orientation and a GPS IFD pointer, and a GPS IFD with
/// version, latitude and longitude.
pub fn exif_tiff(orientation: u16) -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&value);
    }
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const BYTE: u16 = 1;
    const ASCII: u16 = 2;
    const RATIONAL: u16 = 5;
    let ifd0_at = 8u32;
    let gps_at = ifd0_at + 2 + 2 * 12 + 4;
    let latitude_at = gps_at + 2 + 5 * 12 + 4;
    let longitude_at = latitude_at + 24;

    let mut tiff = b"II\x2A\x00".to_vec();
    tiff.extend_from_slice(&ifd0_at.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    let [o0, o1] = orientation.to_le_bytes();
    entry(&mut tiff, 0x0112, SHORT, 1, [o0, o1, 0, 0]);
    entry(&mut tiff, 0x8825, LONG, 1, gps_at.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());

    tiff.extend_from_slice(&5u16.to_le_bytes());
    entry(&mut tiff, 0x0000, BYTE, 4, [2, 3, 0, 0]);
    entry(&mut tiff, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut tiff, 0x0002, RATIONAL, 3, latitude_at.to_le_bytes());
    entry(&mut tiff, 0x0003, ASCII, 2, *b"E\0\0\0");
    entry(&mut tiff, 0x0004, RATIONAL, 3, longitude_at.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for (numerator, denominator) in LATITUDE.into_iter().chain(LONGITUDE) {
        tiff.extend_from_slice(&numerator.to_le_bytes());
        tiff.extend_from_slice(&denominator.to_le_bytes());
    }
    tiff
}

/// `jpeg` with an APP1 EXIF segment holding `tiff` inserted right after SOI.
pub fn jpeg_with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let length = u16::try_from(2 + 6 + tiff.len()).unwrap();
    [
        &jpeg[..2],
        &[0xFF, 0xE1],
        &length.to_be_bytes(),
        b"Exif\0\0",
        tiff,
        &jpeg[2..],
    ]
    .concat()
}

/// The bytes of `LATITUDE`'s seconds as stored (little-endian rational), to look for.
pub fn latitude_seconds_bytes() -> Vec<u8> {
    let (numerator, denominator) = LATITUDE[2];
    [numerator.to_le_bytes(), denominator.to_le_bytes()].concat()
}

/// The EXIF fields of a file, or none when it has no EXIF at all.
pub fn exif_fields(bytes: &[u8]) -> Vec<exif::Field> {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => exif.fields().cloned().collect(),
        Err(exif::Error::NotFound(_)) => Vec::new(),
        Err(other) => panic!("unreadable EXIF: {other}"),
    }
}

/// A result summed up for an assertion message, without pages of bytes.
pub fn describe(result: &Result<ProcessedImage, ImageError>) -> String {
    match result {
        Ok(processed) => format!(
            "Ok: {:?} {}×{} ({} bytes), thumbnail {:?} {}×{}",
            processed.original.kind,
            processed.original.width,
            processed.original.height,
            processed.original.bytes.len(),
            processed.thumbnail.kind,
            processed.thumbnail.width,
            processed.thumbnail.height,
        ),
        Err(error) => format!("Err: {error:?}"),
    }
}

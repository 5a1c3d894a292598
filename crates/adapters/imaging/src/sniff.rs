//! Recognising an upload by its bytes, never by its name or declared type.

use image::ImageFormat;
use sakura_application::ports::MediaKind;

const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// The kind the bytes announce, or `None` for anything but JPEG, PNG, GIF and WebP.
pub(crate) fn sniff(bytes: &[u8]) -> Option<MediaKind> {
    if bytes.starts_with(JPEG_MAGIC) {
        Some(MediaKind::Jpeg)
    } else if bytes.starts_with(PNG_MAGIC) {
        Some(MediaKind::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(MediaKind::Gif)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(MediaKind::WebP)
    } else {
        None
    }
}

/// The `image` crate's name for a kind.
pub(crate) fn image_format(kind: MediaKind) -> ImageFormat {
    match kind {
        MediaKind::Jpeg => ImageFormat::Jpeg,
        MediaKind::Png => ImageFormat::Png,
        MediaKind::WebP => ImageFormat::WebP,
        MediaKind::Gif => ImageFormat::Gif,
    }
}

/// Whether a JPEG reaches its end-of-image marker after the start of its scan data.
///
/// The JPEG decoder is lenient (it paints missing rows grey), so without this a truncated upload
/// would be stored half grey instead of refused. Entropy-coded data never contains `FF D9` (a
/// data `FF` is always followed by `00` or a restart marker), so finding it after the first
/// start-of-scan is proof the file was not cut short; an `FF D9` inside an embedded EXIF
/// thumbnail does not count because the walk skips whole segments until the scan.
pub(crate) fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(scan) = start_of_scan(bytes) else {
        return false;
    };
    bytes[scan..].windows(2).any(|pair| pair == [0xFF, 0xD9])
}

/// The offset just past the first start-of-scan marker, walking the segments from SOI.
fn start_of_scan(bytes: &[u8]) -> Option<usize> {
    let mut at = 2; // past SOI
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        // Any number of fill bytes may precede a marker.
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            0xDA => return Some(at),
            // Markers without a length field.
            0x01 | 0xD0..=0xD7 => {}
            _ => {
                let length = u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]);
                at = at.checked_add(usize::from(length))?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_signatures_are_recognised_and_nothing_else() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(MediaKind::Jpeg));
        assert_eq!(sniff(PNG_MAGIC), Some(MediaKind::Png));
        assert_eq!(sniff(b"GIF87a..."), Some(MediaKind::Gif));
        assert_eq!(sniff(b"GIF89a..."), Some(MediaKind::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8L"), Some(MediaKind::WebP));
        for other in [
            &b""[..],
            b"RIFF\x10\0\0\0WAVEfmt ",
            b"RIFF",
            b"BM\x36\0\0\0",
            b"<svg xmlns",
            b"GIF88a",
            &PNG_MAGIC[..7],
            &[0xFF, 0xD8],
        ] {
            assert_eq!(sniff(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_jpeg_without_its_end_marker_after_the_scan_is_incomplete() {
        // SOI, an APP1 whose payload holds FF D9, SOS with a 2-byte header, data, then EOI.
        let head = [
            0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 0xFF, 0xD9, 0xFF, 0xDA, 0x00, 0x02, 0x12,
        ];
        let complete = [&head[..], &[0xFF, 0xD9]].concat();
        assert!(jpeg_is_complete(&complete));
        assert!(!jpeg_is_complete(&head));
        assert!(!jpeg_is_complete(&[0xFF, 0xD8, 0xFF, 0xD9]));
    }
}

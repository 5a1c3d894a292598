//! What the photo tests share: real images built in memory (with hand-made EXIF, lies and
//! bombs), multipart uploads, fetching and decoding what `/media` serves, and a look at the
//! media directory.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::gif::{GifDecoder, GifEncoder};
use image::{AnimationDecoder, DynamicImage, Frame, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use reqwest::Response;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::people_support::json_with;
use crate::support::{RegisteredUser, TestApp};

// ---------------------------------------------------------------------------------------------
// Pictures.
// ---------------------------------------------------------------------------------------------

/// An opaque picture with enough detail for a lossy encoder to have work to do.
pub fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x ^ y) % 256) as u8])
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
        .expect("encode a test picture");
    bytes
}

/// An opaque `width`×`height` PNG.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Png)
}

/// A `width`×`height` PNG whose right half is fully transparent.
pub fn transparent_png(width: u32, height: u32) -> Vec<u8> {
    let image = DynamicImage::ImageRgba8(RgbaImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgba([200, 30, 30, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    }));
    encode(&image, ImageFormat::Png)
}

/// A `width`×`height` JPEG without metadata.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Jpeg)
}

/// A `width`×`height` red-left/blue-right JPEG carrying EXIF with this `Orientation` and a GPS
/// position (see [`LATITUDE`], [`LONGITUDE`]).
pub fn jpeg_with_gps_and_orientation(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let plain = encode(&red_left_blue_right(width, height), ImageFormat::Jpeg);
    jpeg_with_exif(&plain, &exif_tiff(orientation))
}

/// A `width`×`height` WebP (the `image` crate writes lossless WebP) of [`picture`].
pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::WebP)
}

/// A two-frame animated GIF: the first frame all `first`, the second all `second`.
pub fn gif(width: u32, height: u32, first: [u8; 3], second: [u8; 3]) -> Vec<u8> {
    let frame =
        |[r, g, b]: [u8; 3]| Frame::new(RgbaImage::from_pixel(width, height, Rgba([r, g, b, 255])));
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        encoder
            .encode_frames([frame(first), frame(second)])
            .expect("encode a test GIF");
    }
    bytes
}

/// How many frames a GIF holds.
pub fn gif_frames(bytes: &[u8]) -> usize {
    GifDecoder::new(Cursor::new(bytes))
        .expect("a GIF")
        .into_frames()
        .count()
}

/// A small but real 24-bit BMP (2×2), a format the server does not take.
pub fn bmp() -> Vec<u8> {
    let pixels: [u8; 16] = [0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0];
    let mut bytes = b"BM".to_vec();
    bytes.extend_from_slice(&(54u32 + 16).to_le_bytes()); // file size
    bytes.extend_from_slice(&[0; 4]); // reserved
    bytes.extend_from_slice(&54u32.to_le_bytes()); // pixel data offset
    bytes.extend_from_slice(&40u32.to_le_bytes()); // BITMAPINFOHEADER
    bytes.extend_from_slice(&2i32.to_le_bytes()); // width
    bytes.extend_from_slice(&2i32.to_le_bytes()); // height
    bytes.extend_from_slice(&1u16.to_le_bytes()); // planes
    bytes.extend_from_slice(&24u16.to_le_bytes()); // bits per pixel
    bytes.extend_from_slice(&[0; 4]); // no compression
    bytes.extend_from_slice(&16u32.to_le_bytes()); // image size
    bytes.extend_from_slice(&[0; 16]); // resolution, palette
    bytes.extend_from_slice(&pixels);
    bytes
}

/// A PNG chunk: length, type, data, CRC of type and data.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    let length = u32::try_from(data.len()).expect("a small chunk");
    [
        &length.to_be_bytes()[..],
        kind,
        data,
        &crc.finalize().to_be_bytes(),
    ]
    .concat()
}

/// A well-formed PNG that declares `width`×`height` RGB pixels but carries a few bytes of image
/// data: cheap to send, ruinous to decode.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
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

/// The first half of a real `width`×`height` PNG.
pub fn truncated_png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(width, height);
    bytes.truncate(bytes.len() / 2);
    bytes
}

// ---------------------------------------------------------------------------------------------
// EXIF, built by hand and read back.
// ---------------------------------------------------------------------------------------------

/// GPS latitude 35° 39' 31.17" N, as EXIF rationals.
pub const LATITUDE: [(u32, u32); 3] = [(35, 1), (39, 1), (3117, 100)];
/// GPS longitude 139° 44' 28.46" E, as EXIF rationals.
pub const LONGITUDE: [(u32, u32); 3] = [(139, 1), (44, 1), (2846, 100)];

/// A little-endian TIFF block: IFD0 with Orientation and a GPS IFD pointer, and a GPS IFD with
/// version, latitude and longitude.
fn exif_tiff(orientation: u16) -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&value);
    }
    const BYTE: u16 = 1;
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
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
fn jpeg_with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let length = u16::try_from(2 + 6 + tiff.len()).expect("a small EXIF block");
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

/// The bytes of [`LATITUDE`]'s seconds as stored (a little-endian rational), to look for.
pub fn latitude_seconds_bytes() -> Vec<u8> {
    let (numerator, denominator) = LATITUDE[2];
    [numerator.to_le_bytes(), denominator.to_le_bytes()].concat()
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The EXIF fields of a file, or none when it has no EXIF at all.
pub fn exif_fields(bytes: &[u8]) -> Vec<exif::Field> {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => exif.fields().cloned().collect(),
        Err(exif::Error::NotFound(_)) => Vec::new(),
        Err(other) => panic!("unreadable EXIF: {other}"),
    }
}

/// The GPS fields among a file's EXIF, by name.
pub fn gps_tags(bytes: &[u8]) -> Vec<String> {
    exif_fields(bytes)
        .iter()
        .filter(|field| field.tag.context() == exif::Context::Gps)
        .map(|field| field.tag.to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Uploads.
// ---------------------------------------------------------------------------------------------

/// `POST /photos` with this form, with a bearer token if given.
pub async fn upload_form(app: &TestApp, token: Option<&str>, form: Form) -> Response {
    let mut request = app
        .request(reqwest::Method::POST, "/api/v1/photos")
        .multipart(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("POST /photos")
}

/// A `file` part with this name and declared type.
pub fn file_part(bytes: Vec<u8>, filename: &str, mime: &str) -> Part {
    Part::bytes(bytes)
        .file_name(filename.to_owned())
        .mime_str(mime)
        .expect("a valid MIME type")
}

/// `POST /photos` as `user` with `file` = `bytes` named `filename`, declared as `mime`.
pub async fn upload(
    app: &TestApp,
    user: &RegisteredUser,
    bytes: Vec<u8>,
    filename: &str,
    mime: &str,
) -> Response {
    let form = Form::new().part("file", file_part(bytes, filename, mime));
    upload_form(app, Some(&user.access_token), form).await
}

/// Uploads `bytes` with `caption` as `user`.
pub async fn upload_captioned(
    app: &TestApp,
    user: &RegisteredUser,
    bytes: Vec<u8>,
    caption: &str,
) -> Response {
    let form = Form::new()
        .part("file", file_part(bytes, "photo.png", "image/png"))
        .text("caption", caption.to_owned());
    upload_form(app, Some(&user.access_token), form).await
}

/// Uploads `bytes` (a real image) as `user`, expecting 201; returns the `Photo`.
pub async fn upload_ok(app: &TestApp, user: &RegisteredUser, bytes: Vec<u8>) -> Value {
    json_with(
        upload(app, user, bytes, "photo.bin", "application/octet-stream").await,
        201,
    )
    .await
}

/// Uploads a small PNG as `user`, expecting 201; returns the `Photo`.
pub async fn upload_png(app: &TestApp, user: &RegisteredUser) -> Value {
    upload_ok(app, user, png(64, 48)).await
}

/// A `Photo`'s `id`.
pub fn id_of(photo: &Value) -> String {
    photo["id"].as_str().expect("photo.id").to_owned()
}

// ---------------------------------------------------------------------------------------------
// Media.
// ---------------------------------------------------------------------------------------------

/// `GET` a media URL (`/media/...`) without a token.
pub async fn fetch(app: &TestApp, url: &str) -> Response {
    app.get(url, None).await
}

/// The bytes under a media URL, expecting 200.
pub async fn fetch_bytes(app: &TestApp, url: &str) -> Vec<u8> {
    let response = fetch(app, url).await;
    assert_eq!(response.status().as_u16(), 200, "GET {url}");
    response.bytes().await.expect("media bytes").to_vec()
}

/// The `url` (or `thumbnailUrl`) of a `Photo` as a string.
pub fn url_of<'a>(photo: &'a Value, field: &str) -> &'a str {
    photo[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} in {photo}"))
}

/// The served picture under `photo[field]`: its format (by its bytes) and the decoded image.
pub async fn served(app: &TestApp, photo: &Value, field: &str) -> (ImageFormat, DynamicImage) {
    let bytes = fetch_bytes(app, url_of(photo, field)).await;
    decode(&bytes)
}

/// The format of `bytes` and the decoded picture.
pub fn decode(bytes: &[u8]) -> (ImageFormat, DynamicImage) {
    let format = image::guess_format(bytes).expect("a recognisable image");
    let image = image::load_from_memory_with_format(bytes, format).expect("a decodable image");
    (format, image)
}

/// Whether `url` is `/media/<64 lowercase hex>.<extension>`.
pub fn is_media_url(url: &str, extension: &str) -> bool {
    let Some(key) = url.strip_prefix("/media/") else {
        return false;
    };
    let Some((hex, ext)) = key.split_once('.') else {
        return false;
    };
    hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && ext == extension
}

/// Every file under `dir`, recursively (directories themselves are not counted).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The file names under `dir`, recursively, sorted.
pub fn file_names_under(dir: &Path) -> Vec<String> {
    files_under(dir)
        .iter()
        .filter_map(|path| path.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect()
}

/// The media key of a media URL.
pub fn key_of(url: &str) -> &str {
    url.strip_prefix("/media/").expect("a /media/ URL")
}

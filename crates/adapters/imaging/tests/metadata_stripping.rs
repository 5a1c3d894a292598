//! What a camera writes besides the pixels never reaches storage; its orientation is applied.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    contains, decode_checked, encode, exif_fields, exif_tiff, jpeg_with_exif,
    latitude_seconds_bytes, photo, png_chunk, red_left_blue_right, with_png_chunk,
};
use exif::{In, Tag};
use image::{ImageFormat, Rgb};
use sakura_application::ports::{ImageProcessor, MediaKind};
use sakura_imaging::ImageRsProcessor;

fn is_red(pixel: Rgb<u8>) -> bool {
    let [r, g, b] = pixel.0;
    r > 150 && g < 80 && b < 80
}

fn is_blue(pixel: Rgb<u8>) -> bool {
    let [r, g, b] = pixel.0;
    b > 150 && r < 80 && g < 80
}

#[tokio::test]
async fn a_jpeg_with_gps_exif_comes_out_with_no_exif_at_all() -> anyhow::Result<()> {
    let input = jpeg_with_exif(&encode(&photo(400, 300), ImageFormat::Jpeg), &exif_tiff(1));
    // The hand-made EXIF is real: a reader finds the GPS position in the input.
    let fields = exif_fields(&input);
    assert!(
        fields
            .iter()
            .any(|f| f.tag == Tag::GPSLatitude && f.ifd_num == In::PRIMARY)
    );
    assert!(contains(&input, b"Exif\0\0"));

    let processed = ImageRsProcessor::new().process(input).await?;

    for output in [&processed.original, &processed.thumbnail] {
        assert!(exif_fields(&output.bytes).is_empty());
        assert!(!contains(&output.bytes, b"Exif\0\0"));
        assert!(!contains(&output.bytes, &latitude_seconds_bytes()));
    }
    assert_eq!(
        (processed.original.width, processed.original.height),
        (400, 300)
    );
    Ok(())
}

#[tokio::test]
async fn a_jpeg_turned_by_its_exif_orientation_comes_out_upright() -> anyhow::Result<()> {
    // Orientation 6: the stored 200×100 picture is shown turned 90° clockwise, 100×200.
    let stored = red_left_blue_right(200, 100);
    let input = jpeg_with_exif(&encode(&stored, ImageFormat::Jpeg), &exif_tiff(6));
    let orientation = exif_fields(&input)
        .into_iter()
        .find(|f| f.tag == Tag::Orientation)
        .and_then(|f| f.value.get_uint(0));
    assert_eq!(orientation, Some(6));

    let processed = ImageRsProcessor::new().process(input).await?;

    assert_eq!(processed.original.kind, MediaKind::Jpeg);
    assert_eq!(
        (processed.original.width, processed.original.height),
        (100, 200)
    );
    assert_eq!(
        (processed.thumbnail.width, processed.thumbnail.height),
        (100, 200)
    );
    // Turned clockwise, the left (red) edge is now the top.
    let upright = decode_checked(&processed.original).into_rgb8();
    assert!(is_red(*upright.get_pixel(50, 20)));
    assert!(is_blue(*upright.get_pixel(50, 180)));
    // No orientation is left behind for a viewer to apply a second time.
    assert!(exif_fields(&processed.original.bytes).is_empty());
    Ok(())
}

#[tokio::test]
async fn a_large_turned_jpeg_gets_a_thumbnail_in_its_upright_shape() -> anyhow::Result<()> {
    let input = jpeg_with_exif(&encode(&photo(1000, 500), ImageFormat::Jpeg), &exif_tiff(6));

    let processed = ImageRsProcessor::new().process(input).await?;

    assert_eq!(
        (processed.original.width, processed.original.height),
        (500, 1000)
    );
    assert_eq!(
        (processed.thumbnail.width, processed.thumbnail.height),
        (160, 320)
    );
    Ok(())
}

#[tokio::test]
async fn a_png_text_chunk_does_not_survive() -> anyhow::Result<()> {
    let text = png_chunk(b"tEXt", b"Comment\0secret-location");
    let input = with_png_chunk(&encode(&photo(400, 300), ImageFormat::Png), &text);
    assert!(contains(&input, b"secret-location"));

    let processed = ImageRsProcessor::new().process(input).await?;

    assert_eq!(processed.original.kind, MediaKind::Png);
    assert!(!contains(&processed.original.bytes, b"secret-location"));
    assert!(!contains(&processed.thumbnail.bytes, b"secret-location"));
    Ok(())
}

#[tokio::test]
async fn a_png_exif_chunk_with_gps_does_not_survive() -> anyhow::Result<()> {
    let exif = png_chunk(b"eXIf", &exif_tiff(1));
    let input = with_png_chunk(&encode(&photo(400, 300), ImageFormat::Png), &exif);
    assert!(contains(&input, &latitude_seconds_bytes()));

    let processed = ImageRsProcessor::new().process(input).await?;

    assert!(!contains(&processed.original.bytes, b"eXIf"));
    assert!(!contains(
        &processed.original.bytes,
        &latitude_seconds_bytes()
    ));
    Ok(())
}

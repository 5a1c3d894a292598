//! JPEG, PNG, WebP and GIF uploads come out in their own kind, with a thumbnail.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{decode_checked, encode, flat_colours, half_transparent, photo};
use image::ImageFormat;
use sakura_application::ports::{ImageProcessor, MediaKind};
use sakura_imaging::ImageRsProcessor;
use tokio::task::JoinSet;

async fn assert_round_trip(
    input: Vec<u8>,
    kind: MediaKind,
    size: (u32, u32),
    thumbnail_size: (u32, u32),
) -> anyhow::Result<()> {
    let processed = ImageRsProcessor::new().process(input).await?;

    assert_eq!(processed.original.kind, kind);
    assert_eq!((processed.original.width, processed.original.height), size);
    decode_checked(&processed.original);
    assert_eq!(
        (processed.thumbnail.width, processed.thumbnail.height),
        thumbnail_size
    );
    decode_checked(&processed.thumbnail);
    Ok(())
}

#[tokio::test]
async fn a_large_jpeg_stays_a_jpeg_and_gets_a_320_pixel_thumbnail() -> anyhow::Result<()> {
    let input = encode(&photo(1000, 500), ImageFormat::Jpeg);
    assert_round_trip(input, MediaKind::Jpeg, (1000, 500), (320, 160)).await
}

#[tokio::test]
async fn a_large_png_stays_a_png_and_gets_a_320_pixel_thumbnail() -> anyhow::Result<()> {
    let input = encode(&photo(1000, 500), ImageFormat::Png);
    assert_round_trip(input, MediaKind::Png, (1000, 500), (320, 160)).await
}

#[tokio::test]
async fn a_large_webp_stays_a_webp_and_gets_a_320_pixel_thumbnail() -> anyhow::Result<()> {
    let input = encode(&photo(1000, 500), ImageFormat::WebP);
    assert_round_trip(input, MediaKind::WebP, (1000, 500), (320, 160)).await
}

#[tokio::test]
async fn a_large_gif_stays_a_gif_and_gets_a_320_pixel_thumbnail() -> anyhow::Result<()> {
    let input = encode(&flat_colours(1000, 500), ImageFormat::Gif);
    assert_round_trip(input, MediaKind::Gif, (1000, 500), (320, 160)).await
}

#[tokio::test]
async fn a_portrait_image_is_thumbnailed_by_its_height() -> anyhow::Result<()> {
    let input = encode(&photo(500, 1000), ImageFormat::Png);
    assert_round_trip(input, MediaKind::Png, (500, 1000), (160, 320)).await
}

#[tokio::test]
async fn small_images_of_every_kind_keep_their_size_in_the_thumbnail() -> anyhow::Result<()> {
    for (input, kind) in [
        (encode(&photo(100, 50), ImageFormat::Jpeg), MediaKind::Jpeg),
        (encode(&photo(100, 50), ImageFormat::Png), MediaKind::Png),
        (encode(&photo(100, 50), ImageFormat::WebP), MediaKind::WebP),
        (
            encode(&flat_colours(100, 50), ImageFormat::Gif),
            MediaKind::Gif,
        ),
    ] {
        assert_round_trip(input, kind, (100, 50), (100, 50)).await?;
    }
    Ok(())
}

#[tokio::test]
async fn an_opaque_image_gets_a_jpeg_thumbnail_whatever_its_kind() -> anyhow::Result<()> {
    let processor = ImageRsProcessor::new();
    for input in [
        encode(&photo(400, 400), ImageFormat::Png),
        encode(&photo(400, 400), ImageFormat::WebP),
        encode(&flat_colours(400, 400), ImageFormat::Gif),
    ] {
        let processed = processor.process(input).await?;
        assert_eq!(processed.thumbnail.kind, MediaKind::Jpeg);
    }
    Ok(())
}

#[tokio::test]
async fn a_transparent_png_keeps_its_transparency_in_a_png_thumbnail() -> anyhow::Result<()> {
    let input = encode(&half_transparent(640, 320), ImageFormat::Png);

    let processed = ImageRsProcessor::new().process(input).await?;

    assert_eq!(processed.thumbnail.kind, MediaKind::Png);
    let thumbnail = decode_checked(&processed.thumbnail).into_rgba8();
    assert_eq!(thumbnail.get_pixel(10, 80).0[3], 255);
    assert_eq!(thumbnail.get_pixel(310, 80).0[3], 0);
    let original = decode_checked(&processed.original).into_rgba8();
    assert_eq!(original.get_pixel(630, 10).0[3], 0);
    Ok(())
}

#[tokio::test]
async fn a_transparent_gif_gets_a_png_thumbnail() -> anyhow::Result<()> {
    let input = encode(&half_transparent(640, 320), ImageFormat::Gif);

    let processed = ImageRsProcessor::new().process(input).await?;

    assert_eq!(processed.original.kind, MediaKind::Gif);
    assert_eq!(processed.thumbnail.kind, MediaKind::Png);
    Ok(())
}

#[tokio::test]
async fn a_png_keeps_its_pixels_exactly() -> anyhow::Result<()> {
    let picture = photo(300, 200);

    let processed = ImageRsProcessor::new()
        .process(encode(&picture, ImageFormat::Png))
        .await?;

    assert_eq!(decode_checked(&processed.original), picture);
    Ok(())
}

#[tokio::test]
async fn eight_concurrent_uploads_all_succeed() -> anyhow::Result<()> {
    let processor = Arc::new(ImageRsProcessor::new());
    let mut jobs = JoinSet::new();
    for i in 0..8 {
        let processor = Arc::clone(&processor);
        let input = encode(&photo(600 + i, 400), ImageFormat::Jpeg);
        jobs.spawn(async move { (i, processor.process(input).await) });
    }

    let mut done = 0;
    while let Some(joined) = jobs.join_next().await {
        let (i, processed) = joined?;
        let processed = processed?;
        assert_eq!(
            (processed.original.width, processed.original.height),
            (600 + i, 400)
        );
        done += 1;
    }
    assert_eq!(done, 8);
    Ok(())
}

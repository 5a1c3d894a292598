//! What is not an image, is broken, or would take too much memory is refused, and cheaply.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{describe, encode, gif_declaring, jpeg_declaring, photo, png_header_declaring};
use image::ImageFormat;
use sakura_application::ports::{ImageError, ImageProcessor};
use sakura_imaging::ImageRsProcessor;

/// Far longer than reading a header takes, far shorter than allocating gigabytes would.
const HEADER_ONLY: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_text_file_is_unsupported_whatever_its_name() -> anyhow::Result<()> {
    let result = ImageRsProcessor::new()
        .process(b"hello, this is not an image".to_vec())
        .await;
    assert!(
        matches!(result, Err(ImageError::Unsupported)),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn an_svg_is_unsupported() -> anyhow::Result<()> {
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let result = ImageRsProcessor::new().process(svg.to_vec()).await;
    assert!(
        matches!(result, Err(ImageError::Unsupported)),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn a_bmp_is_unsupported() -> anyhow::Result<()> {
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&[0; 64]);
    let result = ImageRsProcessor::new().process(bmp).await;
    assert!(
        matches!(result, Err(ImageError::Unsupported)),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn an_empty_upload_is_unsupported() -> anyhow::Result<()> {
    let result = ImageRsProcessor::new().process(Vec::new()).await;
    assert!(
        matches!(result, Err(ImageError::Unsupported)),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn a_truncated_png_is_undecodable() -> anyhow::Result<()> {
    let mut png = encode(&photo(300, 200), ImageFormat::Png);
    png.truncate(png.len() / 2);
    let result = ImageRsProcessor::new().process(png).await;
    assert!(
        matches!(result, Err(ImageError::Undecodable(_))),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn a_truncated_jpeg_is_undecodable() -> anyhow::Result<()> {
    let mut jpeg = encode(&photo(300, 200), ImageFormat::Jpeg);
    jpeg.truncate(jpeg.len() / 2);
    let result = ImageRsProcessor::new().process(jpeg).await;
    assert!(
        matches!(result, Err(ImageError::Undecodable(_))),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn a_truncated_gif_or_webp_is_undecodable() -> anyhow::Result<()> {
    for (picture, format) in [
        (common::flat_colours(300, 200), ImageFormat::Gif),
        (photo(300, 200), ImageFormat::WebP),
    ] {
        let mut bytes = encode(&picture, format);
        bytes.truncate(bytes.len() / 2);
        let result = ImageRsProcessor::new().process(bytes).await;
        assert!(
            matches!(result, Err(ImageError::Undecodable(_))),
            "{format:?}: {}",
            describe(&result)
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_png_declaring_ten_billion_pixels_is_refused_from_its_header() -> anyhow::Result<()> {
    let bomb = png_header_declaring(100_000, 100_000);
    assert!(bomb.len() < 100);

    let started = Instant::now();
    let result = ImageRsProcessor::new().process(bomb).await;

    assert!(
        matches!(
            result,
            Err(ImageError::TooManyPixels {
                width: 100_000,
                height: 100_000
            })
        ),
        "{}",
        describe(&result)
    );
    assert!(
        started.elapsed() < HEADER_ONLY,
        "took {:?}",
        started.elapsed()
    );
    Ok(())
}

#[tokio::test]
async fn a_jpeg_declaring_65535_squared_pixels_is_refused_from_its_header() -> anyhow::Result<()> {
    let bomb = jpeg_declaring(&encode(&photo(16, 16), ImageFormat::Jpeg), 65_535, 65_535);

    let started = Instant::now();
    let result = ImageRsProcessor::new().process(bomb).await;

    assert!(
        matches!(
            result,
            Err(ImageError::TooManyPixels {
                width: 65_535,
                height: 65_535
            })
        ),
        "{}",
        describe(&result)
    );
    assert!(
        started.elapsed() < HEADER_ONLY,
        "took {:?}",
        started.elapsed()
    );
    Ok(())
}

#[tokio::test]
async fn a_gif_declaring_a_huge_screen_is_refused_from_its_header() -> anyhow::Result<()> {
    let started = Instant::now();
    let result = ImageRsProcessor::new()
        .process(gif_declaring(65_535, 65_535))
        .await;

    assert!(
        matches!(
            result,
            Err(ImageError::TooManyPixels {
                width: 65_535,
                height: 65_535
            })
        ),
        "{}",
        describe(&result)
    );
    assert!(
        started.elapsed() < HEADER_ONLY,
        "took {:?}",
        started.elapsed()
    );
    Ok(())
}

#[tokio::test]
async fn one_row_over_40_megapixels_is_too_many() -> anyhow::Result<()> {
    let processor = ImageRsProcessor::new();
    assert_eq!(processor.max_pixels(), 40_000_000);

    let result = processor.process(png_header_declaring(8000, 5001)).await;

    assert!(
        matches!(
            result,
            Err(ImageError::TooManyPixels {
                width: 8000,
                height: 5001
            })
        ),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn exactly_40_megapixels_passes_the_size_check() -> anyhow::Result<()> {
    // The header of a 8000×5000 PNG with no real data: past the size check, decoding fails.
    let result = ImageRsProcessor::new()
        .process(png_header_declaring(8000, 5000))
        .await;
    assert!(
        matches!(result, Err(ImageError::Undecodable(_))),
        "{}",
        describe(&result)
    );
    Ok(())
}

#[tokio::test]
async fn an_image_exactly_at_a_custom_limit_is_accepted_and_one_over_is_not() -> anyhow::Result<()>
{
    let processor = ImageRsProcessor::with_max_pixels(10_000);
    assert_eq!(processor.max_pixels(), 10_000);

    let at_limit = processor
        .process(encode(&photo(100, 100), ImageFormat::Png))
        .await?;
    let over = processor
        .process(encode(&photo(101, 100), ImageFormat::Png))
        .await;

    assert_eq!(
        (at_limit.original.width, at_limit.original.height),
        (100, 100)
    );
    assert!(
        matches!(
            over,
            Err(ImageError::TooManyPixels {
                width: 101,
                height: 100
            })
        ),
        "{}",
        describe(&over)
    );
    Ok(())
}

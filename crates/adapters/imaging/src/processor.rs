//! [`ImageRsProcessor`]: the [`ImageProcessor`] port on the `image` crate.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use async_trait::async_trait;
use sakura_application::ports::{ImageError, ImageProcessor, MediaKind, ProcessedImage};
use tokio::sync::Semaphore;

use crate::decode::decode_upright;
use crate::encode::{encode_original, encode_thumbnail};
use crate::sniff::sniff;

/// The pixel limit of the port: 40 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 40_000_000;

/// Checks, decodes and re-encodes uploads with the pure-Rust `image` crate, on tokio's blocking
/// pool, at most one image per core at a time.
#[derive(Debug, Clone)]
pub struct ImageRsProcessor {
    max_pixels: u64,
    /// Bounds concurrent jobs to the number of cores: beyond that, more threads only add
    /// contention and memory (each job may hold a few hundred MiB of pixels).
    permits: Arc<Semaphore>,
}

impl ImageRsProcessor {
    /// A processor accepting up to [`DEFAULT_MAX_PIXELS`], one job per core.
    pub fn new() -> Self {
        Self::with_max_pixels(DEFAULT_MAX_PIXELS)
    }

    /// A processor accepting up to `max_pixels` (width × height), one job per core.
    pub fn with_max_pixels(max_pixels: u64) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            max_pixels,
            permits: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl Default for ImageRsProcessor {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl ImageProcessor for ImageRsProcessor {
    fn max_pixels(&self) -> u64 {
        self.max_pixels
    }

    async fn process(&self, bytes: Vec<u8>) -> Result<ProcessedImage, ImageError> {
        // Refusing what is not an image costs nothing, so it does not wait for a permit.
        let kind = sniff(&bytes).ok_or(ImageError::Unsupported)?;
        // The permit moves into the job: if the caller gives up, the job still runs to its end
        // and must keep counting against the bound until then.
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .context("image processor semaphore closed")?;
        let max_pixels = self.max_pixels;
        // The caller's span (the request's) goes along: the lines logged there carry its id.
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            span.in_scope(|| process_blocking(&bytes, kind, max_pixels))
        })
        .await
        .context("image processing task")?
    }
}

/// The whole job, on a blocking thread.
fn process_blocking(
    bytes: &[u8],
    kind: MediaKind,
    max_pixels: u64,
) -> Result<ProcessedImage, ImageError> {
    let started = Instant::now();
    let image = decode_upright(bytes, kind, max_pixels)?;
    // The thumbnail is made first so the original's encoder can take the pixels without a copy.
    let thumbnail = encode_thumbnail(&image)?;
    let original = encode_original(image, kind)?;
    tracing::debug!(
        kind = ?kind,
        width = original.width,
        height = original.height,
        input_bytes = bytes.len(),
        original_bytes = original.bytes.len(),
        thumbnail_bytes = thumbnail.bytes.len(),
        elapsed_ms = started.elapsed().as_millis(),
        "image processed"
    );
    Ok(ProcessedImage {
        original,
        thumbnail,
    })
}

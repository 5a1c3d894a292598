//! Image processing adapter: implements the application's [`ImageProcessor`] port with the
//! pure-Rust [`image`] crate (no C toolchain, no nasm).
//!
//! An upload is recognised by its magic bytes only (JPEG, PNG, GIF, WebP; anything else is
//! `Unsupported`), its dimensions are read from the header and refused over the pixel limit
//! before any pixel buffer is allocated (so a decompression bomb costs nothing), then it is
//! decoded within [`image::Limits`], turned upright by its EXIF orientation and re-encoded from
//! the pixels, which drops all metadata (EXIF with GPS, XMP, ICC, text chunks). A thumbnail
//! whose longest side is 320 px comes with it. The work runs on tokio's blocking pool, one
//! image per core at a time.
//!
//! # Layout
//! - `processor`: [`ImageRsProcessor`], the port implementation: the semaphore, the blocking
//!   pool, the sequence of steps.
//! - `sniff`: recognising the format from the bytes, and spotting a truncated JPEG.
//! - `decode`: header-first, limited decoding and EXIF orientation; maps the codec errors
//!   onto [`ImageError`].
//! - `encode`: the re-encoding rules per kind and the thumbnail.
//!
//! [`ImageProcessor`]: sakura_application::ports::ImageProcessor
//! [`ImageError`]: sakura_application::ports::ImageError

mod decode;
mod encode;
mod processor;
mod sniff;

pub use processor::{DEFAULT_MAX_PIXELS, ImageRsProcessor};

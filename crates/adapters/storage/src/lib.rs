//! Blob storage adapters of Sakura's `BlobStore` port: where photo bytes live.
//!
//! # Layout
//! - [`LocalBlobStore`]: files in one directory (`MEDIA_DIR`), fanned out by the key's first two
//!   hex digits, written atomically (temp file, fsync, rename). The default, for one instance.
//! - [`S3BlobStore`] / [`S3Config`]: objects in an S3-compatible bucket (AWS S3, MinIO, ...),
//!   through `object_store` over rustls, so several instances share the photos.
//!
//! Both build paths and object names from a parsed `BlobKey` only, never from raw input. A store
//! that cannot be reached (no connection, a timeout, a full disk) answers
//! `StoreError::Unavailable`; a missing blob is `None` on `get` and fine on `delete`.

mod local;
mod s3;

pub use local::LocalBlobStore;
pub use s3::{S3BlobStore, S3Config};

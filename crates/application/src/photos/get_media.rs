//! Serving stored bytes.

use std::sync::Arc;

use crate::StoreError;
use crate::ports::{BlobKey, BlobStore};

/// Stored bytes and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// The key (also a strong validator: the bytes under a key never change).
    pub key: BlobKey,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Reads a blob by the key in a media URL. No caller identity: a media key is a capability.
#[derive(Clone)]
pub struct GetMedia {
    blobs: Arc<dyn BlobStore>,
}

impl GetMedia {
    /// Wires the use case.
    pub fn new(blobs: Arc<dyn BlobStore>) -> Self {
        Self { blobs }
    }

    /// The blob under `raw_key`; `None` when it is not a key we make, or nothing is stored there.
    pub async fn execute(&self, raw_key: &str) -> Result<Option<Media>, StoreError> {
        let Some(key) = BlobKey::parse(raw_key) else {
            return Ok(None);
        };
        Ok(self
            .blobs
            .get(&key)
            .await?
            .map(|bytes| Media { key, bytes }))
    }
}

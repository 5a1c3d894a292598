//! Where photo bytes live (a local directory, or an S3-compatible store for several instances).

use std::fmt;

use async_trait::async_trait;
use uuid::Uuid;

use crate::StoreError;

/// The kinds of stored image, which fix a key's extension and the bytes' media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `image/jpeg`, `.jpg`.
    Jpeg,
    /// `image/png`, `.png`.
    Png,
    /// `image/webp`, `.webp`.
    WebP,
    /// `image/gif`, `.gif`.
    Gif,
}

impl MediaKind {
    /// The media type served with the bytes.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::WebP => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    /// The key's extension.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::WebP => "webp",
            Self::Gif => "gif",
        }
    }

    fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension {
            "jpg" => Self::Jpeg,
            "png" => Self::Png,
            "webp" => Self::WebP,
            "gif" => Self::Gif,
            _ => return None,
        })
    }
}

/// The name of a stored blob: 64 lowercase hex digits (256 random bits) and an extension, such
/// as `3f9c…e1.jpg`. Never derived from user input, so it is safe as a file name and a URL
/// segment, and unguessable, so a media URL works as a capability.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobKey {
    key: String,
    kind: MediaKind,
}

impl BlobKey {
    /// A fresh random key for bytes of `kind`.
    pub fn random(kind: MediaKind) -> Self {
        let key = format!(
            "{}{}.{}",
            Uuid::new_v4().simple(),
            Uuid::new_v4().simple(),
            kind.extension()
        );
        Self { key, kind }
    }

    /// Reads a key made by [`BlobKey::random`]; `None` for anything else (so `../x` never is).
    pub fn parse(raw: &str) -> Option<Self> {
        let (hex, extension) = raw.split_once('.')?;
        let hex_ok = hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let kind = MediaKind::from_extension(extension)?;
        hex_ok.then(|| Self {
            key: raw.to_owned(),
            kind,
        })
    }

    /// The key as stored and served.
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// What kind of bytes it names.
    pub fn kind(&self) -> MediaKind {
        self.kind
    }
}

impl fmt::Display for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

/// Stores and serves immutable blobs by key. Every method returns `Unavailable` when the store
/// cannot be reached.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `key`, completely or not at all (a reader never sees half a file).
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>) -> Result<(), StoreError>;

    /// The bytes under `key`, or `None`.
    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, StoreError>;

    /// Deletes `key`; deleting a missing key is fine.
    async fn delete(&self, key: &BlobKey) -> Result<(), StoreError>;

    /// Up to `limit` stored blobs whose keys sort after `after` (all from the start with
    /// `None`), in key order, with when each was written. Names that are not keys (temp files of
    /// writes in flight, anything else) are not listed.
    async fn list(
        &self,
        after: Option<&BlobKey>,
        limit: usize,
    ) -> Result<Vec<StoredBlob>, StoreError>;
}

/// A blob as [`BlobStore::list`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// Its key.
    pub key: BlobKey,
    /// When it was written.
    pub written_at: time::OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_keys_parse_back_and_differ() {
        let key = BlobKey::random(MediaKind::WebP);
        assert_eq!(BlobKey::parse(key.as_str()), Some(key.clone()));
        assert!(key.as_str().ends_with(".webp"));
        assert_ne!(key, BlobKey::random(MediaKind::WebP));
    }

    #[test]
    fn anything_else_is_not_a_key() {
        let hex = "a".repeat(64);
        for raw in [
            "",
            "../etc/passwd",
            &format!("{hex}.exe"),
            &format!("{hex}.jpg/../x"),
            &format!("{}.jpg", "A".repeat(64)),
            &format!("{}.jpg", "a".repeat(63)),
            &format!("../{}.jpg", "a".repeat(61)),
        ] {
            assert_eq!(BlobKey::parse(raw), None, "{raw}");
        }
        assert!(BlobKey::parse(&format!("{hex}.jpg")).is_some());
    }
}

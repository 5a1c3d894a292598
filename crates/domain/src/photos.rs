//! Photos: an owner's pictures, each stored as an original and a thumbnail.

use thiserror::Error;
use time::OffsetDateTime;

use crate::{PhotoId, UserId};

/// One stored rendition of a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    /// The blob key it is stored and served under.
    pub key: String,
    /// Its media type (`image/jpeg`...).
    pub content_type: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Size in bytes.
    pub size: u64,
}

/// A photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// Identity.
    pub id: PhotoId,
    /// Whose it is.
    pub owner: UserId,
    /// The picture as served (upright, without metadata).
    pub original: Rendition,
    /// Longest side at most 320 px.
    pub thumbnail: Rendition,
    /// What the owner wrote about it.
    pub caption: Option<Caption>,
    /// When it was uploaded.
    pub created_at: OffsetDateTime,
}

/// A caption: trimmed, at most 2,000 characters; empty means none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption(String);

/// Why a caption is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaptionError {
    /// Over 2,000 characters.
    #[error("must be at most 2000 characters")]
    TooLong,
    /// Control characters other than line breaks and tabs.
    #[error("must not contain control characters")]
    ControlCharacter,
}

impl Caption {
    /// Longest caption, in characters.
    pub const MAX_CHARS: usize = 2000;

    /// Parses a caption; blank text is no caption.
    pub fn parse(raw: &str) -> Result<Option<Self>, CaptionError> {
        let caption = raw.trim();
        if caption.chars().count() > Self::MAX_CHARS {
            return Err(CaptionError::TooLong);
        }
        if crate::users::has_control_characters(caption) {
            return Err(CaptionError::ControlCharacter);
        }
        Ok((!caption.is_empty()).then(|| Self(caption.to_owned())))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_are_trimmed_blank_is_none_and_2000_characters_is_the_limit() {
        assert_eq!(
            Caption::parse("  Kyoto  ").unwrap().unwrap().as_str(),
            "Kyoto"
        );
        assert_eq!(Caption::parse("   "), Ok(None));
        assert!(Caption::parse(&"桜".repeat(2000)).is_ok());
        assert_eq!(
            Caption::parse(&"a".repeat(2001)),
            Err(CaptionError::TooLong)
        );
        assert_eq!(
            Caption::parse("a\u{0}b"),
            Err(CaptionError::ControlCharacter)
        );
        assert!(Caption::parse("two\nlines").is_ok());
    }
}

//! A person's first or last name, in any script.

use std::fmt;

use thiserror::Error;

/// A first or last name: 1–50 characters of letters (any script, with their combining marks),
/// spaces, hyphens and apostrophes, with at least one letter. Surrounding whitespace is trimmed
/// and inner runs of whitespace collapse to one space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

/// Why a string is not a name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PersonNameError {
    /// Nothing but whitespace.
    #[error("must not be empty")]
    Empty,
    /// More than 50 characters.
    #[error("must be at most 50 characters")]
    TooLong,
    /// A digit, symbol or control character.
    #[error("may contain only letters, spaces, hyphens and apostrophes")]
    InvalidCharacter,
    /// Only punctuation.
    #[error("must contain at least one letter")]
    NoLetter,
}

impl PersonName {
    /// Longest accepted name, in characters.
    pub const MAX_CHARS: usize = 50;

    /// Parses a name.
    pub fn parse(raw: &str) -> Result<Self, PersonNameError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(PersonNameError::TooLong);
        }
        // `is_alphabetic` covers letters of every script plus the vowel signs and other marks
        // that Unicode counts as alphabetic (Devanagari, Thai...). The typographic apostrophe is
        // as common in names as the ASCII one.
        if !name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’')) {
            return Err(PersonNameError::InvalidCharacter);
        }
        if !name.chars().any(char::is_alphabetic) {
            return Err(PersonNameError::NoLetter);
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_script_parse() {
        for raw in ["Aiko", "田中", "Дмитрий", "O'Brien", "Jean-Luc", "María José", "देवी", "ธนา"] {
            assert_eq!(PersonName::parse(raw).unwrap().as_str(), raw);
        }
    }

    #[test]
    fn whitespace_is_trimmed_and_collapsed() {
        assert_eq!(PersonName::parse("  Mary   Ann ").unwrap().as_str(), "Mary Ann");
    }

    #[test]
    fn fifty_characters_is_the_limit() {
        assert!(PersonName::parse(&"あ".repeat(50)).is_ok());
        assert_eq!(PersonName::parse(&"a".repeat(51)), Err(PersonNameError::TooLong));
    }

    #[test]
    fn empty_digits_symbols_and_punctuation_only_are_rejected() {
        assert_eq!(PersonName::parse("  "), Err(PersonNameError::Empty));
        assert_eq!(PersonName::parse("R2D2"), Err(PersonNameError::InvalidCharacter));
        assert_eq!(PersonName::parse("<script>"), Err(PersonNameError::InvalidCharacter));
        assert_eq!(PersonName::parse("a\u{0}b"), Err(PersonNameError::InvalidCharacter));
        assert_eq!(PersonName::parse("--'"), Err(PersonNameError::NoLetter));
    }
}

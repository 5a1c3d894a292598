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
        // `is_alphabetic` covers letters of every script and the vowel signs Unicode counts as
        // alphabetic; other combining marks (a virama, a tone mark, a dakuten) must follow a
        // letter. The typographic apostrophe is as common in names as the ASCII one.
        let mut previous_is_letter = false;
        for c in name.chars() {
            let letter = c.is_alphabetic() || (previous_is_letter && is_combining_mark(c));
            if !letter && !matches!(c, ' ' | '-' | '\'' | '’') {
                return Err(PersonNameError::InvalidCharacter);
            }
            previous_is_letter = letter;
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

/// Combining marks that `char::is_alphabetic` leaves out, by block (std has no general
/// category): diacritics, Hebrew and Arabic points, the marks of the Indic, Southeast Asian and
/// Tibetan scripts, kana voicing marks, and the joiners Persian and Indic names use.
fn is_combining_mark(c: char) -> bool {
    let n = u32::from(c);
    let listed = matches!(
        n,
        0x0300..=0x036F
            | 0x0483..=0x0489
            | 0x0591..=0x05C7
            | 0x0610..=0x061A
            | 0x064B..=0x065F
            | 0x0670
            | 0x06D6..=0x06ED
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x200C..=0x200D
            | 0x3099..=0x309A
            | 0xFE20..=0xFE2F
    );
    // Indic, Thai, Lao, Tibetan and Myanmar blocks: their non-letter, non-digit characters are
    // marks, except the punctuation listed here.
    let in_script_block = (0x0900..=0x109F).contains(&n)
        && !c.is_numeric()
        && !matches!(
            n,
            0x0964
                | 0x0965
                | 0x0970
                | 0x0E3F
                | 0x0E4F
                | 0x0E5A
                | 0x0E5B
                | 0x0F00..=0x0F0A
                | 0x0F0D..=0x0F17
                | 0x104A..=0x104F
        );
    listed || in_script_block
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
        for raw in [
            "Aiko",
            "田中",
            "Дмитрий",
            "O'Brien",
            "Jean-Luc",
            "María José",
            "देवी",
            "शर्मा",
            "ธนา",
            "สมศักดิ์",
            "محمد",
            "سارا\u{200c}ای",
            "Jose\u{0301}",
            "Zoë",
            "か\u{3099}",
            "Nguyễn",
            "བཀྲ་ཤིས",
        ] {
            assert_eq!(PersonName::parse(raw).unwrap().as_str(), raw);
        }
    }

    #[test]
    fn whitespace_is_trimmed_and_collapsed() {
        assert_eq!(
            PersonName::parse("  Mary   Ann ").unwrap().as_str(),
            "Mary Ann"
        );
    }

    #[test]
    fn fifty_characters_is_the_limit() {
        assert!(PersonName::parse(&"あ".repeat(50)).is_ok());
        assert_eq!(
            PersonName::parse(&"a".repeat(51)),
            Err(PersonNameError::TooLong)
        );
    }

    #[test]
    fn empty_digits_symbols_and_punctuation_only_are_rejected() {
        assert_eq!(PersonName::parse("  "), Err(PersonNameError::Empty));
        assert_eq!(
            PersonName::parse("R2D2"),
            Err(PersonNameError::InvalidCharacter)
        );
        assert_eq!(
            PersonName::parse("<script>"),
            Err(PersonNameError::InvalidCharacter)
        );
        assert_eq!(
            PersonName::parse("a\u{0}b"),
            Err(PersonNameError::InvalidCharacter)
        );
        assert_eq!(
            PersonName::parse("Aiko 🌸"),
            Err(PersonNameError::InvalidCharacter)
        );
        assert_eq!(
            PersonName::parse("१२३"),
            Err(PersonNameError::InvalidCharacter)
        );
        assert_eq!(PersonName::parse("--'"), Err(PersonNameError::NoLetter));
    }

    #[test]
    fn a_combining_mark_needs_a_letter_before_it() {
        assert_eq!(
            PersonName::parse("\u{0301}a"),
            Err(PersonNameError::InvalidCharacter)
        );
        assert_eq!(
            PersonName::parse("a \u{094D}"),
            Err(PersonNameError::InvalidCharacter)
        );
    }
}

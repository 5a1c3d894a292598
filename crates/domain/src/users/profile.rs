//! The free-form parts of a profile, checked.

use thiserror::Error;
use time::{Date, Month};

/// Why a profile field is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    /// Bio over 500 characters.
    #[error("must be at most 500 characters")]
    BioTooLong,
    /// City over 100 characters.
    #[error("must be at most 100 characters")]
    CityTooLong,
    /// Control characters in a one-line field.
    #[error("must be a single line of text")]
    NotOneLine,
    /// Control characters (other than line breaks and tabs) in free text.
    #[error("must not contain control characters")]
    ControlCharacter,
    /// A birth date after today.
    #[error("must not be in the future")]
    BornInTheFuture,
    /// A birth date before 1900.
    #[error("must not be before 1900-01-01")]
    BornTooEarly,
}

/// A bio: up to 500 characters, trimmed; empty means none.
pub fn parse_bio(raw: &str) -> Result<Option<String>, ProfileError> {
    let bio = raw.trim();
    if bio.chars().count() > 500 {
        return Err(ProfileError::BioTooLong);
    }
    if has_control_characters(bio) {
        return Err(ProfileError::ControlCharacter);
    }
    Ok((!bio.is_empty()).then(|| bio.to_owned()))
}

/// Whether free text holds control characters other than line breaks and tabs (NUL among them,
/// which PostgreSQL cannot store in text at all).
pub fn has_control_characters(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A city: one line of up to 100 characters, trimmed; empty means none.
pub fn parse_city(raw: &str) -> Result<Option<String>, ProfileError> {
    let city = raw.trim();
    if city.chars().count() > 100 {
        return Err(ProfileError::CityTooLong);
    }
    if city.chars().any(char::is_control) {
        return Err(ProfileError::NotOneLine);
    }
    Ok((!city.is_empty()).then(|| city.to_owned()))
}

/// A birth date: from 1900-01-01 to `today`.
pub fn check_birth_date(date: Date, today: Date) -> Result<Date, ProfileError> {
    let earliest = Date::from_calendar_date(1900, Month::January, 1).unwrap_or(Date::MIN);
    if date > today {
        Err(ProfileError::BornInTheFuture)
    } else if date < earliest {
        Err(ProfileError::BornTooEarly)
    } else {
        Ok(date)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn bios_and_cities_are_trimmed_and_empty_means_none() {
        assert_eq!(parse_bio("  hello  "), Ok(Some("hello".into())));
        assert_eq!(parse_bio("   "), Ok(None));
        assert_eq!(parse_city(" Kyoto "), Ok(Some("Kyoto".into())));
        assert_eq!(parse_city(""), Ok(None));
    }

    #[test]
    fn limits_are_counted_in_characters() {
        assert!(parse_bio(&"あ".repeat(500)).is_ok());
        assert_eq!(parse_bio(&"a".repeat(501)), Err(ProfileError::BioTooLong));
        assert_eq!(parse_city(&"a".repeat(101)), Err(ProfileError::CityTooLong));
        assert_eq!(parse_city("Kyo\nto"), Err(ProfileError::NotOneLine));
    }

    #[test]
    fn a_bio_keeps_line_breaks_but_no_other_control_characters() {
        assert_eq!(
            parse_bio("line one\nline two\tend"),
            Ok(Some("line one\nline two\tend".into()))
        );
        assert_eq!(parse_bio("a\u{0}b"), Err(ProfileError::ControlCharacter));
        assert_eq!(
            parse_bio("a\u{1b}[31mb"),
            Err(ProfileError::ControlCharacter)
        );
    }

    #[test]
    fn birth_dates_run_from_1900_to_today() {
        let today = date!(2026 - 11 - 24);
        assert!(check_birth_date(date!(1900 - 01 - 01), today).is_ok());
        assert!(check_birth_date(today, today).is_ok());
        assert_eq!(
            check_birth_date(date!(2026 - 11 - 25), today),
            Err(ProfileError::BornInTheFuture)
        );
        assert_eq!(
            check_birth_date(date!(1899 - 12 - 31), today),
            Err(ProfileError::BornTooEarly)
        );
    }
}

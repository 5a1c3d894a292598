//! The password policy.

use std::fmt;

use thiserror::Error;

/// A plain-text password that meets the policy: 8–72 bytes (bcrypt reads no further than 72),
/// with at least one letter and one digit. Never printed: `Debug` redacts it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    /// Fewer than 8 bytes.
    #[error("must be at least 8 characters")]
    TooShort,
    /// More than 72 bytes.
    #[error("must be at most 72 bytes")]
    TooLong,
    /// No letter, or no digit.
    #[error("must contain at least one letter and one digit")]
    TooWeak,
}

impl Password {
    /// Shortest accepted password, in bytes.
    pub const MIN_BYTES: usize = 8;
    /// Longest accepted password, in bytes.
    pub const MAX_BYTES: usize = 72;

    /// Checks a new password against the policy. Whitespace is kept: it is part of the secret.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        if raw.len() < Self::MIN_BYTES {
            return Err(PasswordError::TooShort);
        }
        if raw.len() > Self::MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        if !raw.chars().any(char::is_alphabetic) || !raw.chars().any(|c| c.is_ascii_digit()) {
            return Err(PasswordError::TooWeak);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret, for the hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_with_letters_and_digits_is_accepted() {
        assert!(Password::parse("katana123").is_ok());
        assert!(Password::parse("пароль12").is_ok());
    }

    #[test]
    fn length_is_counted_in_bytes() {
        assert_eq!(Password::parse("abc1234"), Err(PasswordError::TooShort));
        assert!(Password::parse(&format!("{}1", "a".repeat(71))).is_ok());
        assert_eq!(
            Password::parse(&format!("{}1", "a".repeat(72))),
            Err(PasswordError::TooLong)
        );
        // 25 three-byte characters are 75 bytes: too long for bcrypt though only 25 characters.
        assert_eq!(
            Password::parse(&format!("{}1", "あ".repeat(25))),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn a_password_needs_a_letter_and_a_digit() {
        assert_eq!(Password::parse("12345678"), Err(PasswordError::TooWeak));
        assert_eq!(Password::parse("abcdefgh"), Err(PasswordError::TooWeak));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let password = Password::parse("katana123").unwrap();
        assert!(!format!("{password:?}").contains("katana"));
    }
}

//! An email address, checked for the shape every mail system agrees on.

use std::fmt;

use thiserror::Error;

/// An email address: trimmed, at most 254 bytes, `local@domain` with a dotted domain.
///
/// The original spelling is kept for display; [`Email::normalized`] is what uniqueness and
/// login compare, so `Aiko@Example.com` and `aiko@example.com` are the same account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// Why a string is not an email address.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    /// Nothing but whitespace.
    #[error("email must not be empty")]
    Empty,
    /// Longer than RFC 5321 allows.
    #[error("email must be at most 254 characters")]
    TooLong,
    /// Not `local@domain.tld`.
    #[error("email must look like name@example.com")]
    Malformed,
}

impl Email {
    /// Parses an address, trimming surrounding whitespace.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = email.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && c != '@');
        let domain_ok = domain.len() >= 3
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Self(email.to_owned()))
        } else {
            Err(EmailError::Malformed)
        }
    }

    /// The address as the user wrote it (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-cased form that identifies an account.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_address_parses_and_keeps_its_spelling() {
        let email = Email::parse("  Aiko.Tanaka@Example.com ").unwrap();
        assert_eq!(email.as_str(), "Aiko.Tanaka@Example.com");
        assert_eq!(email.normalized(), "aiko.tanaka@example.com");
    }

    #[test]
    fn international_domains_parse() {
        assert!(Email::parse("hanako@例え.jp").is_ok());
    }

    #[test]
    fn addresses_without_the_right_shape_are_rejected() {
        for raw in [
            "plainaddress",
            "@example.com",
            "a@",
            "a@b",
            "a@.com",
            "a@example..com",
            "a b@example.com",
            "a@exa mple.com",
            ".a@example.com",
            "a..b@example.com",
            "a@-example.com",
        ] {
            assert_eq!(Email::parse(raw), Err(EmailError::Malformed), "{raw}");
        }
    }

    #[test]
    fn empty_and_overlong_addresses_are_rejected() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}

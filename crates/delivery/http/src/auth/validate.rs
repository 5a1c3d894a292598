//! garde rules that defer to the domain's value objects, so each rule is written once.

use sakura_domain::auth::Password;
use sakura_domain::users::{Email, PersonName};

pub(crate) fn person_name(value: &str, _: &()) -> garde::Result {
    PersonName::parse(value)
        .map(drop)
        .map_err(|e| garde::Error::new(e.to_string()))
}

pub(crate) fn email(value: &str, _: &()) -> garde::Result {
    Email::parse(value)
        .map(drop)
        .map_err(|e| garde::Error::new(e.to_string()))
}

pub(crate) fn password(value: &str, _: &()) -> garde::Result {
    Password::parse(value)
        .map(drop)
        .map_err(|e| garde::Error::new(e.to_string()))
}

/// Turns a domain parse failure into a 422 naming the field (the garde rules above make this
/// unreachable in practice; the domain stays the last word).
pub(crate) fn field<T, E: std::fmt::Display>(
    field: &str,
    parsed: Result<T, E>,
) -> Result<T, crate::problem::ApiError> {
    parsed.map_err(|e| crate::problem::ApiError::invalid_field(field, e))
}

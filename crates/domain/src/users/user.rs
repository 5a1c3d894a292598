//! The user entity.

use time::{Date, OffsetDateTime};

use super::{Email, PersonName, Settings};
use crate::UserId;

/// A registered samurai, as the system of record knows them (never their password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Identity.
    pub id: UserId,
    /// First name.
    pub first_name: PersonName,
    /// Last name.
    pub last_name: PersonName,
    /// Sign-in address; shown to its owner only.
    pub email: Email,
    /// Free text about themselves.
    pub bio: Option<String>,
    /// Home city.
    pub city: Option<String>,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Theme and privacy.
    pub settings: Settings,
    /// When they registered.
    pub created_at: OffsetDateTime,
}

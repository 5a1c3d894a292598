//! Users: who a samurai is, how they are named and reached, and what they chose to show.

mod email;
mod name;
mod profile;
mod settings;
mod user;

pub use email::{Email, EmailError};
pub use name::{PersonName, PersonNameError};
pub use profile::{ProfileError, check_birth_date, has_control_characters, parse_bio, parse_city};
pub use settings::{MessagesPrivacy, Privacy, PrivacyLevel, Settings, Theme, UnknownSettingValue};
pub use user::User;

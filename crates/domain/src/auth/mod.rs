//! Authentication rules: what a password must be, and what a login session is.

mod password;
mod session;

pub use password::{Password, PasswordError};
pub use session::Session;

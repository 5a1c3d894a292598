//! User use cases: one file each.

mod get_me;

pub use get_me::{GetMe, GetMeError};

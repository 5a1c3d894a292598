//! Extractors: validated JSON bodies, the authenticated caller, and client details.

mod auth;
mod client;
mod json;
mod page;
mod path;

pub use auth::Authenticated;
pub use client::ClientInfo;
pub use json::{JSON_LIMIT, OptionalJson, ValidJson, camel_case, nullable};
pub use page::page_request;
pub use path::{IdPath, UserPath};

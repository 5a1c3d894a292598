//! Extractors: validated JSON bodies, the authenticated caller, and client details.

mod auth;
mod client;
mod json;
mod page;
mod path;
mod strict;

pub(crate) use auth::Authenticated;
pub(crate) use client::ClientInfo;
pub(crate) use json::{OptionalJson, ValidJson, nullable};
pub(crate) use page::page_request;
pub(crate) use path::{IdPath, UserPath};

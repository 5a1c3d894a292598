//! Photo use cases: one file each.

mod access;
mod check_owned;
mod delete;
mod get;
mod get_media;
mod list;
mod set_avatar;
mod sweep;
mod update_caption;
mod upload;

pub use check_owned::CheckOwnPhotos;
pub use delete::DeletePhoto;
pub use get::GetPhoto;
pub use get_media::{GetMedia, Media};
pub use list::ListPhotos;
pub use set_avatar::SetAvatar;
pub use sweep::{SWEEP_JOB, SweepOrphanFiles, SweepReport};
pub use update_caption::UpdateCaption;
pub use upload::{UploadError, UploadPhoto};

use thiserror::Error;

use crate::StoreError;

/// Why changing a photo (or an avatar) failed.
#[derive(Debug, Error)]
pub enum PhotoChangeError {
    /// No such photo.
    #[error("photo not found")]
    NotFound,
    /// Someone else's photo.
    #[error("not your photo")]
    Forbidden,
    /// A dependency is down.
    #[error("a dependency is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

crate::from_store_error!(PhotoChangeError, StoreError::NotFound => Self::NotFound);

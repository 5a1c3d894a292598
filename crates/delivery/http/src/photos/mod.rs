//! Photo endpoints: one handler per file, mirroring `sakura_application::photos`.

mod delete;
mod get;
mod list;
mod media;
mod set_avatar;
mod update;
mod upload;

pub use delete::{__path_delete_photo, delete_photo};
pub use get::{__path_get_photo, get_photo};
pub use list::{__path_list_photos, list_photos};
pub use media::{__path_media, media};
pub use set_avatar::{
    __path_clear_avatar, __path_set_avatar, AvatarRequest, clear_avatar, set_avatar,
};
pub use update::{__path_update_photo, UpdatePhotoRequest, update_photo};
pub use upload::{__path_upload_photo, UploadForm, multipart_config, upload_photo};

use actix_web::http::StatusCode;
use sakura_application::photos::PhotoChangeError;

use crate::problem::ApiError;

impl From<PhotoChangeError> for ApiError {
    fn from(error: PhotoChangeError) -> Self {
        match error {
            PhotoChangeError::NotFound => ApiError::not_found("photo_not_found", "no such photo"),
            PhotoChangeError::Forbidden => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", "this is not your photo")
            }
            PhotoChangeError::Unavailable(e) => ApiError::unavailable(&e),
            PhotoChangeError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

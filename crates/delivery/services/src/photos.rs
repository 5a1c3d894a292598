//! The photos feature: uploads, reads, captions, avatars and media bytes.

use sakura_application::photos::{
    DeletePhoto, GetMedia, GetPhoto, ListPhotos, SetAvatar, UpdateCaption, UploadPhoto,
};
use sakura_application::users::GetMe;

/// The use cases of the photo endpoints.
pub struct PhotoServices {
    /// Upload a photo.
    pub upload_photo: UploadPhoto,
    /// Read a photo.
    pub get_photo: GetPhoto,
    /// A user's photos.
    pub list_photos: ListPhotos,
    /// Edit a caption.
    pub update_caption: UpdateCaption,
    /// Delete a photo.
    pub delete_photo: DeletePhoto,
    /// Choose or remove an avatar.
    pub set_avatar: SetAvatar,
    /// Serve media bytes.
    pub get_media: GetMedia,
    /// The avatar endpoints answer with my profile, as `GET /users/me` would.
    pub get_me: GetMe,
}

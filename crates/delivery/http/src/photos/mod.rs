//! Photo endpoints: one handler per file, mirroring `sakura_application::photos`.

mod delete;
mod get;
mod list;
mod media;
mod set_avatar;
mod update;
mod upload;

use actix_web::http::StatusCode;
use actix_web::web;
use sakura_application::photos::PhotoChangeError;
use sakura_wire::{Page, PhotoDto};
use utoipa::OpenApi;

use crate::Feature;
use crate::problem::ApiError;

/// Photos, avatars and media: `/api/v1/photos`, `/api/v1/users/{id}/photos`,
/// `/api/v1/users/me/avatar` and `/media/{key}`.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(
        upload::upload_photo, get::get_photo, list::list_photos, update::update_photo,
        delete::delete_photo, set_avatar::set_avatar, set_avatar::clear_avatar, media::media,
    ),
    components(schemas(
        PhotoDto, Page<PhotoDto>, upload::UploadForm, update::UpdatePhotoRequest,
        set_avatar::AvatarRequest,
    )),
    tags((name = "photos", description = "Photos, avatars and media"))
)]
struct ApiDoc;

fn configure(cfg: &mut web::ServiceConfig) {
    // A bare route: an `<img>` asking with another method gets the plain 404 of unknown routes.
    cfg.route("/media/{key}", web::get().to(media::media))
        .service(
            web::resource("/api/v1/users/me/avatar")
                .route(web::put().to(set_avatar::set_avatar))
                .route(web::delete().to(set_avatar::clear_avatar)),
        )
        .service(web::resource("/api/v1/users/{id}/photos").route(web::get().to(list::list_photos)))
        .service(
            web::resource("/api/v1/photos")
                .app_data(upload::multipart_config())
                .route(web::post().to(upload::upload_photo)),
        )
        .service(
            web::resource("/api/v1/photos/{id}")
                .route(web::get().to(get::get_photo))
                .route(web::patch().to(update::update_photo))
                .route(web::delete().to(delete::delete_photo)),
        );
}

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

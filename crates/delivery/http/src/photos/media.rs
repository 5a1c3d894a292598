//! `GET /media/{key}`

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, web};
use sakura_services::PhotoServices;

use crate::problem::{ApiError, Problem};

/// The stored bytes of an image, for the OpenAPI document only (`Vec<u8>` would read as a JSON
/// array of integers).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Never built: it only describes the body.
pub(crate) struct MediaBytes(Vec<u8>);

/// The bytes under a media key. No token: a browser's `<img>` cannot send one, and keys are
/// random 256-bit names, so a URL is a capability. The bytes under a key never change, so they
/// may be cached for a year and the key is a strong `ETag`.
#[utoipa::path(
    get, path = "/media/{key}", tag = "photos",
    params(("key" = String, Path, description = "A media key from a `url` or `thumbnailUrl`")),
    responses(
        (status = 200, description = "The bytes, with their media type (`image/jpeg`, `image/png`, `image/webp` or `image/gif`)", content_type = "image/*", body = inline(MediaBytes),
            headers(
                ("ETag" = String, description = "The key, as a strong entity tag: send it back as `If-None-Match`"),
                ("Cache-Control" = String, description = "`public, max-age=31536000, immutable`: the bytes under a key never change"),
                ("X-Content-Type-Options" = String, description = "`nosniff`"),
            )),
        (status = 304, description = "Not modified (`If-None-Match`)",
            headers(
                ("ETag" = String, description = "The key, as a strong entity tag"),
                ("Cache-Control" = String, description = "`public, max-age=31536000, immutable`"),
            )),
        (status = 404, description = "`not_found`: no such key", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`service_unavailable`: the blob store is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn media(
    state: web::Data<PhotoServices>,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::not_found("not_found", "no such media");
    let media = state.get_media.execute(&key).await.map_err(|e| match e {
        sakura_application::StoreError::Unavailable(e) => ApiError::unavailable(&e),
        other => ApiError::internal(&other.into()),
    })?;
    let media = media.ok_or_else(not_found)?;
    let etag = EntityTag::new_strong(media.key.as_str().to_owned());
    let cache = "public, max-age=31536000, immutable";
    let unchanged = match req.headers().get(header::IF_NONE_MATCH) {
        Some(_) => match header::Header::parse(&req) {
            Ok(IfNoneMatch::Any) => true,
            Ok(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&etag)),
            Err(_) => false,
        },
        None => false,
    };
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header(header::ETag(etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type(media.key.kind().content_type())
        .insert_header(header::ETag(etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(media.bytes))
}

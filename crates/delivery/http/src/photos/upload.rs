//! `POST /api/v1/photos`

use actix_multipart::MultipartError;
use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::{MultipartForm, MultipartFormConfig};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;
use sakura_application::photos::UploadError;
use sakura_domain::photos::Caption;
use sakura_services::PhotoServices;
use sakura_wire::PhotoDto;
use utoipa::ToSchema;

use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

/// Largest upload: 10 MiB of image.
pub(crate) const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// The upload form.
#[derive(MultipartForm, ToSchema)]
pub(crate) struct UploadForm {
    /// JPEG, PNG, WebP or GIF, recognised by its bytes; at most 10 MiB and 40 megapixels.
    #[multipart(limit = "10MiB")]
    #[schema(value_type = String, format = Binary)]
    pub(crate) file: Bytes,
    /// Optional caption (up to 2,000 characters).
    #[schema(example = "Cherry blossoms at Ueno", value_type = Option<String>, max_length = 2000)]
    pub(crate) caption: Option<Text<String>>,
}

/// Multipart limits, and errors as problems: too big is 413 (actix would say 400), not
/// multipart is 415, a missing `file` 422.
pub(crate) fn multipart_config() -> MultipartFormConfig {
    MultipartFormConfig::default()
        // The image plus a caption and the form's own overhead.
        .total_limit(MAX_UPLOAD + 64 * 1024)
        .memory_limit(MAX_UPLOAD + 64 * 1024)
        .error_handler(|error: MultipartError, _: &HttpRequest| {
            let problem = match &error {
                MultipartError::Payload(PayloadError::Overflow) => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "photos are limited to 10 MiB",
                ),
                MultipartError::ContentTypeMissing
                | MultipartError::ContentTypeParse
                | MultipartError::ContentTypeIncompatible => not_multipart(),
                MultipartError::MissingField(field) => {
                    ApiError::invalid_field(field, "is required")
                }
                MultipartError::Field { name, source }
                    if source.as_response_error().status_code()
                        == StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        format!("the `{name}` field is too large; photos are limited to 10 MiB"),
                    )
                }
                other => ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed_multipart",
                    format!("the form could not be read: {other}"),
                ),
            };
            problem.into()
        })
}

/// The upload form, after a media type check of our own: actix-multipart refuses a request
/// without a multipart `Content-Type` before its error handler runs, as a bare 400.
pub(crate) struct Upload(UploadForm);

fn not_multipart() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the photo as multipart/form-data with a `file` field",
    )
}

impl FromRequest for Upload {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form_data = matches!(
            req.mime_type(),
            Ok(Some(mime)) if mime.type_() == "multipart" && mime.subtype() == "form-data"
        );
        if !form_data {
            return Box::pin(std::future::ready(Err(not_multipart().into())));
        }
        let form = MultipartForm::<UploadForm>::from_request(req, payload);
        Box::pin(async move { form.await.map(|MultipartForm(form)| Upload(form)) })
    }
}

impl From<UploadError> for ApiError {
    fn from(error: UploadError) -> Self {
        match error {
            UploadError::Unsupported => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_image_type",
                "the file is not a JPEG, PNG, WebP or GIF image",
            ),
            // The upload contract (`POST /api/v1/photos` in the OpenAPI document at
            // /api-docs/openapi.json): "≤ 10 MiB; ≤ 40 megapixels … too big → 413".
            UploadError::TooManyPixels { width, height } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "image_too_large",
                format!("the image is {width}×{height} pixels; at most 40 megapixels are accepted"),
            ),
            // Bytes that start like an image but do not decode are not that media type.
            UploadError::Undecodable => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "invalid_image",
                "the image is corrupt or truncated",
            ),
            UploadError::Unavailable(e) => ApiError::unavailable(&e),
            UploadError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// Upload a photo: checked by its bytes, re-encoded without metadata (GPS and all), with a
/// thumbnail whose longest side is 320 px.
#[utoipa::path(
    post, path = "/api/v1/photos", tag = "photos",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored", body = PhotoDto),
        (status = 400, description = "`malformed_multipart`: the form could not be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`payload_too_large` (over 10 MiB) or `image_too_large` (over 40 megapixels)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_image_type` (not a JPEG, PNG, WebP or GIF), `invalid_image` (corrupt or truncated) or `unsupported_media_type` (not multipart)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: no file, an empty file or a caption over 2,000 characters", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database or the blob store is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn upload_photo(
    state: web::Data<PhotoServices>,
    Authenticated(principal): Authenticated,
    Upload(form): Upload,
) -> Result<HttpResponse, ApiError> {
    let caption = match &form.caption {
        Some(text) => Caption::parse(text).map_err(|e| ApiError::invalid_field("caption", e))?,
        None => None,
    };
    if form.file.data.is_empty() {
        return Err(ApiError::invalid_field("file", "is empty"));
    }
    let photo = state
        .upload_photo
        .execute(principal.user_id, form.file.data.to_vec(), caption)
        .await?;
    Ok(HttpResponse::Created().json(PhotoDto::from(&photo)))
}

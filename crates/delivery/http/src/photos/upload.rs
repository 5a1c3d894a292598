//! `POST /api/v1/photos`

use actix_multipart::MultipartError;
use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::{MultipartForm, MultipartFormConfig};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use sakura_application::photos::UploadError;
use sakura_domain::photos::Caption;
use sakura_services::PhotoServices;
use sakura_wire::PhotoDto;
use utoipa::ToSchema;

use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};
use crate::telemetry::{self, Counted, UploadOutcome};

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
        .error_handler(|error: MultipartError, _: &HttpRequest| multipart_problem(&error).into())
}

/// A form the multipart extractor refused, as a problem counted as a refused upload.
fn multipart_problem(error: &MultipartError) -> ApiError {
    let problem = match error {
        MultipartError::Payload(PayloadError::Overflow) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "photos are limited to 10 MiB",
        ),
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the photo as multipart/form-data with a `file` field",
        ),
        MultipartError::MissingField(field) => ApiError::invalid_field(field, "is required"),
        MultipartError::Field { name, source }
            if source.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE =>
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
    // Refused before the handler runs: counted by what the answer says.
    let outcome = match actix_web::ResponseError::status_code(&problem) {
        StatusCode::PAYLOAD_TOO_LARGE => UploadOutcome::TooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => UploadOutcome::Unsupported,
        _ => UploadOutcome::Invalid,
    };
    problem.counted(Counted::PhotoUpload(outcome))
}

impl From<UploadError> for ApiError {
    fn from(error: UploadError) -> Self {
        let outcome = match &error {
            UploadError::Unsupported => UploadOutcome::Unsupported,
            UploadError::TooManyPixels { .. } => UploadOutcome::TooLarge,
            UploadError::Undecodable => UploadOutcome::Invalid,
            UploadError::Unavailable(_) | UploadError::Unexpected(_) => UploadOutcome::Failed,
        };
        let problem = match error {
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
        };
        problem.counted(Counted::PhotoUpload(outcome))
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
    form: Result<MultipartForm<UploadForm>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    // A body that is not multipart at all is refused before the config's error handler is
    // called: it gets the same problem here.
    let MultipartForm(form) = form.map_err(|error| match error.as_error::<MultipartError>() {
        Some(refused) => multipart_problem(refused).into(),
        None => error,
    })?;
    let invalid = Counted::PhotoUpload(UploadOutcome::Invalid);
    let caption = match &form.caption {
        Some(text) => Caption::parse(text)
            .map_err(|e| ApiError::invalid_field("caption", e).counted(invalid))?,
        None => None,
    };
    if form.file.data.is_empty() {
        return Err(ApiError::invalid_field("file", "is empty")
            .counted(invalid)
            .into());
    }
    let photo = state
        .upload_photo
        .execute(principal.user_id, form.file.data.to_vec(), caption)
        .await
        .map_err(ApiError::from)?;
    let mut response = HttpResponse::Created().json(PhotoDto::from(&photo));
    telemetry::count(&mut response, Counted::PhotoUpload(UploadOutcome::Accepted));
    Ok(response)
}

//! `PATCH /api/v1/chats/{id}/messages/{messageId}` and `DELETE` of the same

use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use sakura_domain::chats::MessageText;
use sakura_services::ChatServices;
use sakura_wire::MessageDto;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{chat_path, message_path};
use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// A message's new text.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EditMessageRequest {
    /// 1–4,000 characters after trimming.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, max_length = 4000, example = "See you at six 🌸")]
    pub(crate) text: Option<String>,
}

/// Edit the text of my message (sets `editedAt`). Members get `message.edited`.
#[utoipa::path(
    patch, path = "/api/v1/chats/{id}/messages/{messageId}", tag = "chats",
    params(
        ("id" = uuid::Uuid, Path, description = "Chat id"),
        ("messageId" = uuid::Uuid, Path, description = "Message id"),
    ),
    request_body = EditMessageRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The message", body = MessageDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: someone else's message", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`, or `message_not_found` (also once deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `text`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn edit_message(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
    ValidJson(body): ValidJson<EditMessageRequest>,
) -> Result<web::Json<MessageDto>, ApiError> {
    let chat = chat_path(&req)?;
    let message = message_path(&req)?;
    let text = body
        .text
        .as_deref()
        .ok_or_else(|| ApiError::invalid_field("text", "is required"))
        .and_then(|raw| MessageText::parse(raw).map_err(|e| ApiError::invalid_field("text", e)));
    let text = super::members_only(&state, principal.user_id, chat, text).await?;
    let edited = state
        .edit_message
        .execute(principal.into(), chat, message, text)
        .await?;
    Ok(web::Json(MessageDto::new(&edited, principal.user_id)))
}

/// Delete my message: it stays in history as a marker (`deleted: true`, no text, photos or
/// reactions). Deleting it again changes nothing. Members get `message.deleted`.
#[utoipa::path(
    delete, path = "/api/v1/chats/{id}/messages/{messageId}", tag = "chats",
    params(
        ("id" = uuid::Uuid, Path, description = "Chat id"),
        ("messageId" = uuid::Uuid, Path, description = "Message id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: someone else's message", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found` or `message_not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn delete_message(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let chat = chat_path(&req)?;
    let message = message_path(&req)?;
    state
        .delete_message
        .execute(principal.into(), chat, message)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

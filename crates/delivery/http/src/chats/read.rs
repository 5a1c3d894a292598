//! `POST /api/v1/chats/{id}/read`

use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use sakura_domain::MessageId;
use sakura_services::ChatServices;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{body_id, chat_path};
use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// How far I have read.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MarkChatReadRequest {
    /// The newest message I have read.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = String, format = Uuid, required = true, example = "0192f5e2-0a1b-7c2d-8e3f-4a5b6c7d8e9f")]
    pub(crate) message_id: Option<String>,
}

/// Mark a chat read up to a message. The marker only moves forward (an older message changes
/// nothing); when it moves, the other members get `chat.read`.
#[utoipa::path(
    post, path = "/api/v1/chats/{id}/read", tag = "chats",
    params(("id" = uuid::Uuid, Path, description = "Chat id")),
    request_body = MarkChatReadRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Marked (or already further)"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`, or `message_not_found`: not a message of this chat I can see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `messageId`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn mark_chat_read(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
    ValidJson(body): ValidJson<MarkChatReadRequest>,
) -> Result<HttpResponse, ApiError> {
    let chat = chat_path(&req)?;
    let message = body
        .message_id
        .as_deref()
        .ok_or_else(|| ApiError::invalid_field("messageId", "is required"))
        .and_then(|raw| body_id("messageId", raw, "a message id"))
        .map(MessageId::from_uuid);
    let message = super::members_only(&state, principal.user_id, chat, message).await?;
    state
        .mark_read
        .execute(principal.into(), chat, message)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

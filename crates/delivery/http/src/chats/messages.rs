//! `GET /api/v1/chats/{id}/messages` and `POST /api/v1/chats/{id}/messages`

use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use sakura_application::chats::MessageInput;
use sakura_domain::chats::{ClientId, MessageText, TextError};
use sakura_domain::{MessageId, PhotoId};
use sakura_services::ChatServices;
use sakura_wire::{MessageDto, Page};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{body_id, chat_path, members_only};
use crate::extract::{Authenticated, ValidJson, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::PageQuery;

/// A message to send: text, photos or both.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SendMessageRequest {
    /// 1–4,000 characters after trimming; kept exactly otherwise (line breaks, emoji, any
    /// script); no other control characters.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, example = "See you under the cherry trees 🌸")]
    pub(crate) text: Option<String>,
    /// Up to 10 of my photos, shown in this order.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = Option<Vec<uuid::Uuid>>, max_items = 10, example = json!(["0192f5e1-2d3c-7a4b-8e5f-6a7b8c9d0e1f"]))]
    pub(crate) photo_ids: Option<Vec<String>>,
    /// The message this answers: one of this chat sent since I joined.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Uuid, example = "0192f5e2-0a1b-7c2d-8e3f-4a5b6c7d8e9f")]
    pub(crate) reply_to_id: Option<String>,
    /// My id for this send (1–64 characters): a retry with the same one returns the first
    /// message (200) instead of sending it twice.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 64, example = "b7c1c9a4-1")]
    pub(crate) client_id: Option<String>,
}

impl SendMessageRequest {
    /// The input, each field checked, or 422 on the first wrong one.
    fn input(self) -> Result<MessageInput, ApiError> {
        // A blank text is no text: with photos the message is photos-only (its text reads
        // null); without, the use case refuses it on `text`.
        let text = match self.text.as_deref().map(MessageText::parse) {
            None | Some(Err(TextError::Empty)) => None,
            Some(Ok(text)) => Some(text),
            Some(Err(e)) => return Err(ApiError::invalid_field("text", e)),
        };
        let photos = self
            .photo_ids
            .unwrap_or_default()
            .iter()
            .map(|raw| body_id("photoIds", raw, "a list of photo ids").map(PhotoId::from_uuid))
            .collect::<Result<Vec<_>, _>>()?;
        let reply_to = self
            .reply_to_id
            .as_deref()
            .map(|raw| body_id("replyToId", raw, "a message id").map(MessageId::from_uuid))
            .transpose()?;
        let client_id = self
            .client_id
            .as_deref()
            .map(|raw| ClientId::parse(raw).map_err(|e| ApiError::invalid_field("clientId", e)))
            .transpose()?;
        Ok(MessageInput {
            text,
            photos,
            reply_to,
            client_id,
        })
    }
}

/// A chat's history, newest first: the messages sent since I (last) joined, deleted ones as
/// markers in their place. Pages keep their place while messages arrive.
#[utoipa::path(
    get, path = "/api/v1/chats/{id}/messages", tag = "chats",
    params(("id" = uuid::Uuid, Path, description = "Chat id"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Messages", body = Page<MessageDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_messages(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<MessageDto>>, ApiError> {
    let chat = chat_path(&req)?;
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let me = principal.user_id;
    let messages = state.list_messages.execute(me, chat, page).await?;
    Ok(web::Json(Page::from_page(&messages, |m| {
        MessageDto::new(m, me)
    })))
}

/// Send a message (201); with a `clientId` I sent before in this chat, the first message (200).
/// Members get `message.new`. In a direct chat, a block or the other's `messages` setting
/// refuses it (403).
#[utoipa::path(
    post, path = "/api/v1/chats/{id}/messages", tag = "chats",
    params(("id" = uuid::Uuid, Path, description = "Chat id")),
    request_body = SendMessageRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Sent", body = MessageDto),
        (status = 200, description = "A retry: the message first sent with this `clientId`", body = MessageDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`blocked` or `privacy_restricted` (a direct chat)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `text` (neither text nor photos, too long, control characters), `photoIds`, `replyToId` or `clientId`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn send_message(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
    ValidJson(body): ValidJson<SendMessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let chat = chat_path(&req)?;
    let input = members_only(&state, principal.user_id, chat, body.input()).await?;
    let sent = state
        .send_message
        .execute(principal.into(), chat, input)
        .await?;
    let mut response = if sent.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(MessageDto::new(&sent.message, principal.user_id)))
}

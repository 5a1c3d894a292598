//! `POST /api/v1/chats`

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use garde::Validate;
use sakura_domain::UserId;
use sakura_domain::chats::{ChatKind, ChatTitle};
use sakura_services::ChatServices;
use sakura_wire::{ChatDto, ChatKindDto};
use serde::Deserialize;
use utoipa::ToSchema;

use super::body_id;
use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// A chat to open: `{kind: "direct", userId}` or `{kind: "group", title, memberIds}`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateChatRequest {
    /// `direct` or `group`.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = ChatKindDto, required = true)]
    pub(crate) kind: Option<String>,
    /// A direct chat's other person.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Uuid, example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub(crate) user_id: Option<String>,
    /// A group's title: 1–100 characters after trimming, one line.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100, example = "Hanami 2027")]
    pub(crate) title: Option<String>,
    /// A group's members besides me (1–499 others; me and duplicates are ignored).
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = Option<Vec<uuid::Uuid>>, max_items = 499, example = json!(["0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f"]))]
    pub(crate) member_ids: Option<Vec<String>>,
}

/// Open the direct chat with someone (the existing one, 200, or a new one, 201), or create a
/// group (201).
///
/// One direct chat per pair, even when both open it at once. A direct chat is refused with 403
/// `blocked` when either blocked the other, and `privacy_restricted` when their `messages`
/// setting is `nobody`, or `friends` while we are not friends; adding a group's members follows
/// the same rules. Each member of a new group gets a `chat_added` notification.
#[utoipa::path(
    post, path = "/api/v1/chats", tag = "chats",
    request_body = CreateChatRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "A new chat", body = ChatDto),
        (status = 200, description = "The existing direct chat with that user", body = ChatDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`blocked` or `privacy_restricted`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`user_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: on `userId` (missing, malformed, myself), `title` or `memberIds` (none besides me, over 499)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create_chat(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<CreateChatRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = principal.user_id;
    let kind = match body.kind.as_deref() {
        None => return Err(ApiError::invalid_field("kind", "is required")),
        Some(raw) => ChatKind::parse(raw)
            .ok_or_else(|| ApiError::invalid_field("kind", "must be `direct` or `group`"))?,
    };
    match kind {
        ChatKind::Direct => {
            let raw = body
                .user_id
                .as_deref()
                .ok_or_else(|| ApiError::invalid_field("userId", "is required"))?;
            let other = UserId::from_uuid(body_id("userId", raw, "a user id")?);
            let (view, created) = state.create_direct.execute(principal.into(), other).await?;
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(HttpResponse::build(status).json(ChatDto::new(&view, me)))
        }
        ChatKind::Group => {
            let raw = body
                .title
                .as_deref()
                .ok_or_else(|| ApiError::invalid_field("title", "is required"))?;
            let title = ChatTitle::parse(raw).map_err(|e| ApiError::invalid_field("title", e))?;
            let members = body
                .member_ids
                .ok_or_else(|| ApiError::invalid_field("memberIds", "is required"))?
                .iter()
                .map(|raw| body_id("memberIds", raw, "a list of user ids").map(UserId::from_uuid))
                .collect::<Result<Vec<_>, _>>()?;
            let view = state
                .create_group
                .execute(principal.into(), title, &members)
                .await?;
            Ok(HttpResponse::Created().json(ChatDto::new(&view, me)))
        }
    }
}

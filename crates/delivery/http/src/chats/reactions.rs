//! `PUT` and `DELETE /api/v1/chats/{id}/messages/{messageId}/reactions/{emoji}`

use actix_web::{HttpRequest, web};
use sakura_domain::chats::Emoji;
use sakura_services::ChatServices;
use sakura_wire::{ReactionDto, ReactionsDto};

use super::{chat_path, members_only, message_path};
use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

/// `{emoji}`: exactly one emoji (one grapheme cluster), or 422 on `emoji`.
fn emoji_path(req: &HttpRequest) -> Result<Emoji, ApiError> {
    let raw = req.match_info().get("emoji").unwrap_or_default();
    Emoji::parse(raw).map_err(|e| ApiError::invalid_field("emoji", e))
}

/// Put my reaction on a message, replacing the one I had; idempotent. Members get
/// `message.reactions` when it changes.
#[utoipa::path(
    put, path = "/api/v1/chats/{id}/messages/{messageId}/reactions/{emoji}", tag = "chats",
    params(
        ("id" = uuid::Uuid, Path, description = "Chat id"),
        ("messageId" = uuid::Uuid, Path, description = "Message id"),
        ("emoji" = String, Path, description = "Exactly one emoji, URL-encoded (skin tones, VS16, ZWJ sequences and flags count as one)", example = "%F0%9F%91%8D"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The message's reactions", body = ReactionsDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`, or `message_not_found` (also a deleted one)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`too_many_reactions`: the message has 20 distinct emoji", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `emoji`: not exactly one emoji", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn put_reaction(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
) -> Result<web::Json<ReactionsDto>, ApiError> {
    let chat = chat_path(&req)?;
    let message = message_path(&req)?;
    let emoji = members_only(&state, principal.user_id, chat, emoji_path(&req)).await?;
    let reactions = state
        .react
        .put(principal.into(), chat, message, emoji)
        .await?;
    Ok(web::Json(ReactionsDto {
        reactions: ReactionDto::list(&reactions, principal.user_id),
    }))
}

/// Remove my reaction of this emoji; idempotent (no reaction of it: nothing changes).
#[utoipa::path(
    delete, path = "/api/v1/chats/{id}/messages/{messageId}/reactions/{emoji}", tag = "chats",
    params(
        ("id" = uuid::Uuid, Path, description = "Chat id"),
        ("messageId" = uuid::Uuid, Path, description = "Message id"),
        ("emoji" = String, Path, description = "Exactly one emoji, URL-encoded", example = "%F0%9F%91%8D"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The message's reactions", body = ReactionsDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`, or `message_not_found` (also a deleted one)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `emoji`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove_reaction(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
) -> Result<web::Json<ReactionsDto>, ApiError> {
    let chat = chat_path(&req)?;
    let message = message_path(&req)?;
    let emoji = members_only(&state, principal.user_id, chat, emoji_path(&req)).await?;
    let reactions = state
        .react
        .remove(principal.into(), chat, message, emoji)
        .await?;
    Ok(web::Json(ReactionsDto {
        reactions: ReactionDto::list(&reactions, principal.user_id),
    }))
}

//! `GET /api/v1/chats/{id}`

use actix_web::{HttpRequest, web};
use sakura_services::ChatServices;
use sakura_wire::ChatDto;

use super::chat_path;
use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

/// A chat I am a member of, with its last message and my unread count.
#[utoipa::path(
    get, path = "/api/v1/chats/{id}", tag = "chats",
    params(("id" = uuid::Uuid, Path, description = "Chat id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The chat", body = ChatDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`: no such chat, or I am not a member", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_chat(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
) -> Result<web::Json<ChatDto>, ApiError> {
    let chat = chat_path(&req)?;
    let view = state.get_chat.execute(principal.user_id, chat).await?;
    Ok(web::Json(ChatDto::new(&view, principal.user_id)))
}

//! `GET /api/v1/messages/search?q=&chatId=`

use actix_web::web;
use sakura_domain::ChatId;
use sakura_services::ChatServices;
use sakura_wire::{MessageDto, Page};

use super::body_id;
use crate::extract::{Authenticated, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::{MessageSearchQuery, text_query};

/// Search the messages I can see: those of my chats sent since I (last) joined each, not
/// deleted, holding every word of `q` (word prefixes match; characters of scripts written
/// without spaces, such as Chinese and Japanese, match as typed). Newest first.
#[utoipa::path(
    get, path = "/api/v1/messages/search", tag = "chats",
    params(MessageSearchQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Matching messages", body = Page<MessageDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`: `chatId` is not a chat of mine", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: missing, too long or wordless `q`, malformed `chatId`, bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn search_messages(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    query: web::Query<MessageSearchQuery>,
) -> Result<web::Json<Page<MessageDto>>, ApiError> {
    let q = text_query(query.q.as_deref())?
        .ok_or_else(|| ApiError::invalid_field("q", "is required"))?;
    let chat = query
        .chat_id
        .as_deref()
        .filter(|raw| !raw.is_empty())
        .map(|raw| body_id("chatId", raw, "a chat id").map(ChatId::from_uuid))
        .transpose()?;
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let me = principal.user_id;
    let found = state.search.execute(me, q, chat, page).await?;
    Ok(web::Json(Page::from_page(&found, |m| {
        MessageDto::new(m, me)
    })))
}

//! `GET /api/v1/chats`

use actix_web::web;
use sakura_services::ChatServices;
use sakura_wire::{ChatDto, Page};

use crate::extract::{Authenticated, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::PageQuery;

/// My chats, most recently active first (by `updatedAt`, then id), each with its last message
/// and my unread count.
#[utoipa::path(
    get, path = "/api/v1/chats", tag = "chats",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My chats", body = Page<ChatDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_chats(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<ChatDto>>, ApiError> {
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let me = principal.user_id;
    let chats = state.list_chats.execute(me, page).await?;
    Ok(web::Json(Page::from_page(&chats, |c| ChatDto::new(c, me))))
}

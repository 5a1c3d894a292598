//! `GET /api/v1/blocks`

use actix_web::web;
use sakura_services::BlockServices;
use sakura_wire::{BlockDto, Page};

use crate::extract::{Authenticated, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::PageQuery;

/// The people I blocked, newest first.
#[utoipa::path(
    get, path = "/api/v1/blocks", tag = "blocks",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My blocks", body = Page<BlockDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_blocks(
    state: web::Data<BlockServices>,
    Authenticated(principal): Authenticated,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<BlockDto>>, ApiError> {
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let blocks = state
        .list_blocks
        .execute(principal.user_id, page)
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(Page::from_page(&blocks, |b| BlockDto::from(b))))
}

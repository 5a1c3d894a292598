//! `GET /api/v1/users/me/suggestions`

use actix_web::web;
use sakura_services::UserServices;
use sakura_wire::{Page, SuggestionDto};

use crate::extract::{Authenticated, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::PageQuery;

/// People I may know: most mutual friends first, then people from my city.
///
/// Friends of friends (the best 200, ranked by friends in common, then a shared city), then,
/// when that is all of them, people of my city who show it. Never me, my friends, pending
/// requests either way, or anyone blocked either way.
#[utoipa::path(
    get, path = "/api/v1/users/me/suggestions", tag = "users",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Suggestions", body = Page<SuggestionDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn suggestions(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<SuggestionDto>>, ApiError> {
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let found = state
        .suggest_people
        .execute(principal.user_id, page)
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(Page::from_page(&found, |s| {
        SuggestionDto::from(s)
    })))
}

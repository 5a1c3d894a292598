//! `GET /api/v1/users?q=`

use actix_web::web;
use sakura_services::UserServices;
use sakura_wire::{Page, UserDto};

use crate::extract::{Authenticated, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::{SearchQuery, name_query};

/// Find people by name: typo-tolerant, best match first.
///
/// One word matches the words of names: exact, then prefix, then near misses ("Tnaaka" finds
/// "Tanaka"); people with equally close words come in a stable order. Two words rank people by how
/// near their nearest name word is to each (exact names first, then near ones, then people
/// matching one word only); three or more rank whole names by trigram distance. Never me, nor
/// anyone who blocked me.
#[utoipa::path(
    get, path = "/api/v1/users", tag = "users",
    params(SearchQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Matches", body = Page<UserDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: missing or too long `q`, bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn search(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
    query: web::Query<SearchQuery>,
) -> Result<web::Json<Page<UserDto>>, ApiError> {
    let q = name_query(query.q.as_deref())?
        .ok_or_else(|| ApiError::invalid_field("q", "is required"))?;
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let found = state
        .search_users
        .execute(principal.user_id, q, page)
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(Page::from_page(&found, |p| UserDto::from(p))))
}

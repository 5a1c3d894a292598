//! `GET /api/v1/users/{id}/friends`

use actix_web::web;
use sakura_services::UserServices;
use sakura_wire::{Page, UserDto};

use crate::extract::{Authenticated, UserPath, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::{FriendsQuery, name_query};

/// A user's friends, newest friendship first (if their privacy lets me see them).
#[utoipa::path(
    get, path = "/api/v1/users/{id}/friends", tag = "friends",
    params(("id" = String, Path, description = "User id, or `me`"), FriendsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Friends", body = Page<UserDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`privacy_restricted`: only their friends may see it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`user_not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_friends(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
    user: UserPath,
    query: web::Query<FriendsQuery>,
) -> Result<web::Json<Page<UserDto>>, ApiError> {
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let name = name_query(query.q.as_deref())?;
    let friends = state
        .list_friends
        .execute(
            principal.user_id,
            user.resolve(principal.user_id),
            name,
            page,
        )
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(Page::from_page(&friends, |p| UserDto::from(p))))
}

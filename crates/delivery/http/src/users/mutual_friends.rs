//! `GET /api/v1/users/{id}/friends/mutual`

use actix_web::web;
use sakura_domain::UserId;
use sakura_services::UserServices;
use sakura_wire::{Page, UserDto};

use crate::extract::{Authenticated, IdPath, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::PageQuery;

/// Friends I share with a user.
#[utoipa::path(
    get, path = "/api/v1/users/{id}/friends/mutual", tag = "friends",
    params(("id" = uuid::Uuid, Path, description = "User id"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Mutual friends", body = Page<UserDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`user_not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn mutual_friends(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<UserDto>>, ApiError> {
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let mutual = state
        .mutual_friends
        .execute(principal.user_id, UserId::from_uuid(id), page)
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(Page::from_page(&mutual, |p| UserDto::from(p))))
}

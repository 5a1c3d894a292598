//! `GET /api/v1/friends/requests?direction=incoming|outgoing`

use actix_web::web;
use sakura_application::ports::RequestDirection;
use sakura_services::FriendServices;
use sakura_wire::{FriendRequestDto, Page};

use crate::extract::{Authenticated, page_request};
use crate::problem::{ApiError, Problem};
use crate::queries::RequestsQuery;

/// My pending friend requests, newest first.
#[utoipa::path(
    get, path = "/api/v1/friends/requests", tag = "friends",
    params(RequestsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Pending requests", body = Page<FriendRequestDto>),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: unknown `direction`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_requests(
    state: web::Data<FriendServices>,
    Authenticated(principal): Authenticated,
    query: web::Query<RequestsQuery>,
) -> Result<web::Json<Page<FriendRequestDto>>, ApiError> {
    let direction = match query.direction.as_deref().map(str::trim) {
        None | Some("" | "incoming") => RequestDirection::Incoming,
        Some("outgoing") => RequestDirection::Outgoing,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "direction",
                "must be incoming or outgoing",
            ));
        }
    };
    let page = page_request(query.limit.as_deref(), query.cursor.as_deref())?;
    let requests = state
        .list_requests
        .execute(principal.user_id, direction, page)
        .await
        .map_err(|e| ApiError::from_read(e, "user_not_found"))?;
    Ok(web::Json(Page::from_page(&requests, |r| {
        FriendRequestDto::from(r)
    })))
}

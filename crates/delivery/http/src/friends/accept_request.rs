//! `POST /api/v1/friends/requests/{userId}/accept`

use actix_web::web;
use sakura_domain::UserId;
use sakura_domain::friends::FriendAction;
use sakura_services::FriendServices;
use sakura_wire::FriendshipStatusDto;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

/// Accept the friend request from `userId`.
#[utoipa::path(
    post, path = "/api/v1/friends/requests/{userId}/accept", tag = "friends",
    params(("userId" = uuid::Uuid, Path, description = "Who sent the request")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Now friends", body = FriendshipStatusDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`blocked`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`request_not_found` or `user_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_friends`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cannot_befriend_self`: the id is my own", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn accept_request(
    state: web::Data<FriendServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<web::Json<FriendshipStatusDto>, ApiError> {
    let outcome = state
        .change_friendship
        .execute(
            principal.into(),
            UserId::from_uuid(id),
            FriendAction::Accept,
        )
        .await?;
    Ok(web::Json(FriendshipStatusDto::from(&outcome)))
}

//! `DELETE /api/v1/friends/requests/{userId}`

use actix_web::{HttpResponse, web};
use sakura_domain::UserId;
use sakura_domain::friends::FriendAction;
use sakura_services::FriendServices;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

/// Withdraw my friend request to `userId`.
#[utoipa::path(
    delete, path = "/api/v1/friends/requests/{userId}", tag = "friends",
    params(("userId" = uuid::Uuid, Path, description = "The other user")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`request_not_found` or `user_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cannot_befriend_self`: the id is my own", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn cancel_request(
    state: web::Data<FriendServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<HttpResponse, ApiError> {
    state
        .change_friendship
        .execute(
            principal.into(),
            UserId::from_uuid(id),
            FriendAction::Cancel,
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

//! `DELETE /api/v1/friends/{userId}`

use actix_web::{HttpResponse, web};
use sakura_domain::UserId;
use sakura_domain::friends::FriendAction;
use sakura_services::FriendServices;

use crate::extract::{Authenticated, IdPath};
use crate::problem::{ApiError, Problem};

/// End my friendship with `userId`.
#[utoipa::path(
    delete, path = "/api/v1/friends/{userId}", tag = "friends",
    params(("userId" = uuid::Uuid, Path, description = "The other user")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "No longer friends"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_friends` or `user_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cannot_befriend_self`: the id is my own", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn unfriend(
    state: web::Data<FriendServices>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath,
) -> Result<HttpResponse, ApiError> {
    state
        .change_friendship
        .execute(
            principal.into(),
            UserId::from_uuid(id),
            FriendAction::Unfriend,
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

//! `POST /api/v1/friends/requests`

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use garde::Validate;
use sakura_domain::UserId;
use sakura_domain::friends::{FriendAction, Relation};
use sakura_services::FriendServices;
use sakura_wire::FriendshipStatusDto;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// A reference to a user.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserRef {
    /// The user's id.
    #[garde(custom(uuid))]
    #[serde(default)]
    #[schema(value_type = String, format = Uuid, required = true, example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub(crate) user_id: String,
}

fn uuid(value: &str, _: &()) -> garde::Result {
    uuid::Uuid::try_parse(value)
        .map(drop)
        .map_err(|_| garde::Error::new("must be a user id (UUID)"))
}

impl UserRef {
    /// The id, validated.
    pub(crate) fn id(&self) -> Result<UserId, ApiError> {
        uuid::Uuid::try_parse(&self.user_id)
            .map(UserId::from_uuid)
            .map_err(|_| ApiError::invalid_field("userId", "must be a user id (UUID)"))
    }
}

/// Ask someone to be friends. If they already asked me, we become friends at once (200).
#[utoipa::path(
    post, path = "/api/v1/friends/requests", tag = "friends",
    request_body = UserRef,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Request sent: `friendship` is `outgoing_request`, and `direction` and `createdAt` are as in the requests list", body = FriendshipStatusDto),
        (status = 200, description = "They had asked me: now friends (`friendship`: `friends`)", body = FriendshipStatusDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`blocked`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`user_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_friends` or `already_requested`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cannot_befriend_self` or `validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn send_request(
    state: web::Data<FriendServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<UserRef>,
) -> Result<HttpResponse, ApiError> {
    let other = body.id()?;
    let outcome = state
        .change_friendship
        .execute(principal.into(), other, FriendAction::Request)
        .await?;
    let status = if outcome.relation == Relation::Friends {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(HttpResponse::build(status).json(FriendshipStatusDto::from(&outcome)))
}

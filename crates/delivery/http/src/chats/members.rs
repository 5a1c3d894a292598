//! `POST /api/v1/chats/{id}/members` and `DELETE /api/v1/chats/{id}/members/{userId}`

use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use sakura_application::ports::GroupChange;
use sakura_domain::UserId;
use sakura_services::ChatServices;
use sakura_wire::ChatDto;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{body_id, chat_path, member_path};
use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// Whom to add.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AddMemberRequest {
    /// The user's id.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = String, format = Uuid, required = true, example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub(crate) user_id: Option<String>,
}

/// Add someone to a group (any member may). Their `messages` setting and blocks between us
/// apply; they get a `chat_added` notification and see the messages sent from now on. Adding a
/// member again changes nothing.
#[utoipa::path(
    post, path = "/api/v1/chats/{id}/members", tag = "chats",
    params(("id" = uuid::Uuid, Path, description = "Chat id")),
    request_body = AddMemberRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The chat", body = ChatDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`blocked` or `privacy_restricted`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found` or `user_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`chat_full`: the group has 500 members", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_a_group`: a direct chat; `validation_failed` on `userId`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add_member(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
    ValidJson(body): ValidJson<AddMemberRequest>,
) -> Result<web::Json<ChatDto>, ApiError> {
    let chat = chat_path(&req)?;
    let user = body
        .user_id
        .as_deref()
        .ok_or_else(|| ApiError::invalid_field("userId", "is required"))
        .and_then(|raw| body_id("userId", raw, "a user id"))
        .map(UserId::from_uuid);
    let user = super::members_only(&state, principal.user_id, chat, user).await?;
    let view = state
        .change_group
        .execute(principal.into(), chat, GroupChange::Add(user))
        .await?
        .ok_or_else(super::chat_not_found)?;
    Ok(web::Json(ChatDto::new(&view, principal.user_id)))
}

/// Leave a group (my own id) or, as its creator, remove a member. The one who leaves or is
/// removed loses the chat at once; when the creator leaves, the member who joined earliest
/// becomes the creator; the last member leaving deletes the group.
#[utoipa::path(
    delete, path = "/api/v1/chats/{id}/members/{userId}", tag = "chats",
    params(
        ("id" = uuid::Uuid, Path, description = "Chat id"),
        ("userId" = uuid::Uuid, Path, description = "The member: myself to leave"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Left or removed"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: only the creator removes others", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`, or `member_not_found`: that user is not a member", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_a_group`: a direct chat", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove_member(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let chat = chat_path(&req)?;
    let user = member_path(&req)?;
    state
        .change_group
        .execute(principal.into(), chat, GroupChange::Remove(user))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

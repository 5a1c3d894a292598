//! `PATCH /api/v1/chats/{id}`

use actix_web::{HttpRequest, web};
use garde::Validate;
use sakura_application::ports::GroupChange;
use sakura_domain::chats::ChatTitle;
use sakura_services::ChatServices;
use sakura_wire::ChatDto;
use serde::Deserialize;
use utoipa::ToSchema;

use super::chat_path;
use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, Problem};

/// A group's new title.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RenameRequest {
    /// 1–100 characters after trimming, one line.
    #[garde(skip)]
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, max_length = 100, example = "Hanami 2027")]
    pub(crate) title: Option<String>,
}

/// Rename a group (any member may). Members get `chat.updated`.
#[utoipa::path(
    patch, path = "/api/v1/chats/{id}", tag = "chats",
    params(("id" = uuid::Uuid, Path, description = "Chat id")),
    request_body = RenameRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The chat", body = ChatDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`chat_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_a_group`: a direct chat; `validation_failed` on `title`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn rename_chat(
    state: web::Data<ChatServices>,
    Authenticated(principal): Authenticated,
    req: HttpRequest,
    ValidJson(body): ValidJson<RenameRequest>,
) -> Result<web::Json<ChatDto>, ApiError> {
    let chat = chat_path(&req)?;
    let title = body
        .title
        .as_deref()
        .ok_or_else(|| ApiError::invalid_field("title", "is required"))
        .and_then(|raw| ChatTitle::parse(raw).map_err(|e| ApiError::invalid_field("title", e)));
    let title = super::members_only(&state, principal.user_id, chat, title).await?;
    let view = state
        .change_group
        .execute(principal.into(), chat, GroupChange::Rename(title))
        .await?
        .ok_or_else(super::chat_not_found)?;
    Ok(web::Json(ChatDto::new(&view, principal.user_id)))
}

//! Messenger endpoints: one handler (or one resource's pair) per file, mirroring
//! `sakura_application::chats`.

mod create;
mod get;
mod list;
mod members;
mod message;
mod messages;
mod reactions;
mod read;
mod rename;
mod search;

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web;
use sakura_application::chats::ChatError;
use sakura_domain::chats::Unreachable;
use sakura_domain::{ChatId, MessageId, UserId};
use sakura_services::ChatServices;
use sakura_wire::{
    ChatDto, ChatKindDto, MessageDto, Page, PhotoDto, ReactionDto, ReactionsDto, ReplyDto,
    UserSummaryDto,
};
use utoipa::OpenApi;
use uuid::Uuid;

use crate::Feature;
use crate::problem::ApiError;

/// Chats and their messages: `/api/v1/chats...` and `/api/v1/messages/search`.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(
        list::list_chats, create::create_chat, get::get_chat, rename::rename_chat,
        members::add_member, members::remove_member, messages::list_messages,
        messages::send_message, message::edit_message, message::delete_message,
        reactions::put_reaction, reactions::remove_reaction, read::mark_chat_read, search::search_messages,
    ),
    components(schemas(
        ChatDto, Page<ChatDto>, ChatKindDto, MessageDto, Page<MessageDto>, ReplyDto, ReactionDto,
        ReactionsDto, PhotoDto, UserSummaryDto, create::CreateChatRequest, rename::RenameRequest,
        members::AddMemberRequest, messages::SendMessageRequest, message::EditMessageRequest,
        read::MarkChatReadRequest,
    )),
    tags((name = "chats", description = "The messenger: direct and group chats, messages, reactions, read markers, search"))
)]
struct ApiDoc;

fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/chats")
            .route(web::get().to(list::list_chats))
            .route(web::post().to(create::create_chat)),
    )
    .service(
        web::resource("/api/v1/chats/{id}")
            .route(web::get().to(get::get_chat))
            .route(web::patch().to(rename::rename_chat)),
    )
    .service(web::resource("/api/v1/chats/{id}/members").route(web::post().to(members::add_member)))
    .service(
        web::resource("/api/v1/chats/{id}/members/{userId}")
            .route(web::delete().to(members::remove_member)),
    )
    .service(
        web::resource("/api/v1/chats/{id}/messages")
            .route(web::get().to(messages::list_messages))
            .route(web::post().to(messages::send_message)),
    )
    .service(
        web::resource("/api/v1/chats/{id}/messages/{messageId}")
            .route(web::patch().to(message::edit_message))
            .route(web::delete().to(message::delete_message)),
    )
    .service(
        web::resource("/api/v1/chats/{id}/messages/{messageId}/reactions/{emoji}")
            .route(web::put().to(reactions::put_reaction))
            .route(web::delete().to(reactions::remove_reaction)),
    )
    .service(web::resource("/api/v1/chats/{id}/read").route(web::post().to(read::mark_chat_read)))
    .service(
        web::resource("/api/v1/messages/search").route(web::get().to(search::search_messages)),
    );
}

/// The UUID in path segment `name`; a malformed one names nothing, so it is `missing` (404).
fn path_id(req: &HttpRequest, name: &str, missing: fn() -> ApiError) -> Result<Uuid, ApiError> {
    req.match_info()
        .get(name)
        .and_then(|raw| Uuid::parse_str(raw).ok())
        .ok_or_else(missing)
}

fn chat_not_found() -> ApiError {
    ApiError::not_found("chat_not_found", "no such chat")
}

fn message_not_found() -> ApiError {
    ApiError::not_found("message_not_found", "no such message")
}

fn member_not_found() -> ApiError {
    ApiError::not_found("member_not_found", "no such member")
}

/// `{id}`: the chat.
pub(crate) fn chat_path(req: &HttpRequest) -> Result<ChatId, ApiError> {
    path_id(req, "id", chat_not_found).map(ChatId::from_uuid)
}

/// `{messageId}`: a message of the chat.
pub(crate) fn message_path(req: &HttpRequest) -> Result<MessageId, ApiError> {
    path_id(req, "messageId", message_not_found).map(MessageId::from_uuid)
}

/// `{userId}`: a member of the chat.
pub(crate) fn member_path(req: &HttpRequest) -> Result<UserId, ApiError> {
    path_id(req, "userId", member_not_found).map(UserId::from_uuid)
}

/// What was read from a request's body (or an emoji from its path): its 422 goes only to a
/// member, since to anyone else the chat does not exist (404), whatever they sent.
pub(crate) async fn members_only<T>(
    state: &ChatServices,
    me: UserId,
    chat: ChatId,
    parsed: Result<T, ApiError>,
) -> Result<T, ApiError> {
    match parsed {
        Ok(value) => Ok(value),
        Err(invalid) => match state.get_chat.execute(me, chat).await {
            Err(ChatError::ChatNotFound) => Err(chat_not_found()),
            _ => Err(invalid),
        },
    }
}

/// A UUID in body field `field` (camelCase), or 422 on it.
pub(crate) fn body_id(field: &str, raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(raw)
        .map_err(|_| ApiError::invalid_field(field, format!("must be {what} (UUID)")))
}

impl From<ChatError> for ApiError {
    fn from(error: ChatError) -> Self {
        let forbidden = |code, detail: String| ApiError::new(StatusCode::FORBIDDEN, code, detail);
        let conflict = |code, detail: String| ApiError::new(StatusCode::CONFLICT, code, detail);
        match error {
            ChatError::UnknownUser => ApiError::not_found("user_not_found", "no such user"),
            ChatError::ChatNotFound => chat_not_found(),
            ChatError::MessageNotFound => message_not_found(),
            ChatError::MemberNotFound => member_not_found(),
            ChatError::NotAGroup => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_a_group",
                error.to_string(),
            ),
            ChatError::Unreachable(Unreachable::Blocked) => forbidden("blocked", error.to_string()),
            ChatError::Unreachable(Unreachable::PrivacyRestricted) => {
                forbidden("privacy_restricted", error.to_string())
            }
            ChatError::Forbidden(why) => forbidden("forbidden", why.to_owned()),
            ChatError::ChatFull => conflict("chat_full", error.to_string()),
            ChatError::TooManyReactions => conflict("too_many_reactions", error.to_string()),
            ChatError::Invalid { field, message } => ApiError::invalid_field(field, message),
            ChatError::Unavailable(e) => ApiError::unavailable(&e),
            ChatError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

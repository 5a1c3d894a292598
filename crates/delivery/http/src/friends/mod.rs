//! Friendship endpoints: one handler per file, mirroring `sakura_application::friends`.

mod accept_request;
mod cancel_request;
mod decline_request;
mod list_requests;
mod send_request;
mod unfriend;

pub(crate) use send_request::UserRef;

use actix_web::http::StatusCode;
use actix_web::web;
use sakura_application::friends::FriendshipError;
use sakura_domain::friends::FriendshipError as Rule;
use sakura_wire::{
    FriendRequestDto, FriendshipDto, FriendshipStatusDto, Page, RequestDirectionDto,
};
use utoipa::OpenApi;

use crate::Feature;
use crate::problem::ApiError;

/// Friend requests and friends, under `/api/v1/friends`.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_requests::list_requests, send_request::send_request, accept_request::accept_request,
        decline_request::decline_request, cancel_request::cancel_request, unfriend::unfriend,
    ),
    components(schemas(
        FriendshipDto, FriendshipStatusDto, FriendRequestDto, Page<FriendRequestDto>, UserRef,
        RequestDirectionDto,
    )),
    tags((name = "friends", description = "Friend requests and friends"))
)]
struct ApiDoc;

fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/friends/requests")
            .route(web::get().to(list_requests::list_requests))
            .route(web::post().to(send_request::send_request)),
    )
    .service(
        web::resource("/api/v1/friends/requests/{id}/accept")
            .route(web::post().to(accept_request::accept_request)),
    )
    .service(
        web::resource("/api/v1/friends/requests/{id}/decline")
            .route(web::post().to(decline_request::decline_request)),
    )
    .service(
        web::resource("/api/v1/friends/requests/{id}")
            .route(web::delete().to(cancel_request::cancel_request)),
    )
    .service(web::resource("/api/v1/friends/{id}").route(web::delete().to(unfriend::unfriend)));
}

impl From<FriendshipError> for ApiError {
    fn from(error: FriendshipError) -> Self {
        match error {
            FriendshipError::UnknownUser => ApiError::not_found("user_not_found", "no such user"),
            FriendshipError::Rule(rule) => {
                let (status, code) = match rule {
                    Rule::ToSelf(_) => (StatusCode::UNPROCESSABLE_ENTITY, "cannot_befriend_self"),
                    Rule::AlreadyFriends => (StatusCode::CONFLICT, "already_friends"),
                    Rule::AlreadyRequested => (StatusCode::CONFLICT, "already_requested"),
                    Rule::NoRequest => (StatusCode::NOT_FOUND, "request_not_found"),
                    Rule::NotFriends => (StatusCode::NOT_FOUND, "not_friends"),
                    Rule::Blocked => (StatusCode::FORBIDDEN, "blocked"),
                };
                ApiError::new(status, code, rule.to_string())
            }
            FriendshipError::Unavailable(e) => ApiError::unavailable(&e),
            FriendshipError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

//! Friendship endpoints: one handler per file, mirroring `sakura_application::friends`.

mod accept_request;
mod cancel_request;
mod decline_request;
mod list_requests;
mod send_request;
mod unfriend;

pub use accept_request::{__path_accept_request, accept_request};
pub use cancel_request::{__path_cancel_request, cancel_request};
pub use decline_request::{__path_decline_request, decline_request};
pub use list_requests::{__path_list_requests, list_requests};
pub use send_request::{__path_send_request, UserRef, send_request};
pub use unfriend::{__path_unfriend, unfriend};

use actix_web::http::StatusCode;
use sakura_application::friends::FriendshipError;
use sakura_domain::friends::FriendshipError as Rule;

use crate::problem::ApiError;

impl From<FriendshipError> for ApiError {
    fn from(error: FriendshipError) -> Self {
        match error {
            FriendshipError::UnknownUser => ApiError::not_found("user_not_found", "no such user"),
            FriendshipError::Rule(rule) => {
                let (status, code) = match rule {
                    Rule::ToSelf => (StatusCode::UNPROCESSABLE_ENTITY, "cannot_befriend_self"),
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

//! Ids in paths: a malformed id names nothing, so it is a 404 like an unknown one.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use uuid::Uuid;

use crate::problem::ApiError;

/// The UUID in the path segment `{id}` (or the only path parameter).
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdPath(pub Uuid);

impl FromRequest for IdPath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let info = req.match_info();
        let raw = info
            .get("id")
            .or_else(|| info.iter().next().map(|(_, v)| v));
        ready(
            raw.and_then(|raw| Uuid::parse_str(raw).ok())
                .map(IdPath)
                .ok_or_else(|| ApiError::not_found("not_found", "no such resource")),
        )
    }
}

/// The user in the path segment `{id}`: a UUID, or `me` for the caller (so `/users/me/friends`
/// and `/users/me/photos` work as a client expects next to `/users/me`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum UserPath {
    /// `me`.
    Me,
    /// A user id.
    Id(Uuid),
}

impl UserPath {
    /// The user meant, with `me` standing for `caller`.
    pub(crate) fn resolve(self, caller: sakura_domain::UserId) -> sakura_domain::UserId {
        match self {
            Self::Me => caller,
            Self::Id(id) => sakura_domain::UserId::from_uuid(id),
        }
    }
}

impl FromRequest for UserPath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = match req.match_info().get("id") {
            Some("me") => Some(Self::Me),
            Some(raw) => Uuid::parse_str(raw).ok().map(Self::Id),
            None => None,
        };
        ready(parsed.ok_or_else(|| ApiError::not_found("user_not_found", "no such user")))
    }
}

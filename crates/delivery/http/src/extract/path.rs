//! Ids in paths: a malformed id names nothing, so it is a 404 like an unknown one.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use uuid::Uuid;

use crate::problem::ApiError;

/// The UUID in the path segment `{id}` (or the only path parameter).
#[derive(Debug, Clone, Copy)]
pub struct IdPath(pub Uuid);

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

//! Who is on the other end: address and user agent.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::HttpConfig;
use crate::problem::ApiError;

/// The client's address and `User-Agent`.
#[derive(Debug, Clone)]
pub(crate) struct ClientInfo {
    /// The client address: the peer's, or `X-Forwarded-For`'s when proxies are trusted.
    pub(crate) ip: Option<IpAddr>,
    /// The `User-Agent` header.
    pub(crate) user_agent: Option<String>,
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trust_proxy = req
            .app_data::<web::Data<HttpConfig>>()
            .is_some_and(|c| c.trust_proxy);
        let ip = if trust_proxy {
            // realip_remote_addr reads Forwarded / X-Forwarded-For, which only a trusted proxy
            // may set: otherwise any client could pick its own rate-limit bucket.
            req.connection_info()
                .realip_remote_addr()
                .and_then(parse_ip)
        } else {
            req.peer_addr().map(|a| a.ip())
        };
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ready(Ok(ClientInfo { ip, user_agent }))
    }
}

fn parse_ip(raw: &str) -> Option<IpAddr> {
    raw.parse::<IpAddr>()
        .ok()
        .or_else(|| raw.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| raw.trim_start_matches('[').split(']').next()?.parse().ok())
}

//! `HEAD` on every `GET` resource (RFC 9110 §9.3.2): load balancers probe `/health/*` with it.
//!
//! Routes are registered for `GET` only; this middleware routes a `HEAD` request as that `GET`.
//! actix-http knows the request was `HEAD` from the connection itself, so it writes the `GET`
//! answer's status and headers, `Content-Length` included, and leaves the body out.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// Routes `HEAD` as `GET`; other methods pass untouched.
pub(crate) async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

//! The OpenAPI document, generated from the handlers so it cannot drift from them: each feature
//! contributes its fragment (paths, schemas, tag), merged here under the shared parts.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::FEATURES;
use crate::problem::{FieldError, Problem};

/// What every feature shares: the description, the error body and the bearer scheme.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sakura API",
        description = "The HTTP API of Sakura, a social network. Errors are RFC 9457 problem details with a stable `code`. Realtime events travel over the WebSocket at `/ws` (see docs/realtime.md in the repository)."
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Sakura's HTTP API: the shared parts, then each feature's fragment in [`FEATURES`] order.
pub(crate) fn document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    for feature in FEATURES {
        document.merge((feature.openapi)());
    }
    document
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

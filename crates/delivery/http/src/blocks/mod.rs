//! Block endpoints: one handler per file, mirroring `sakura_application::blocks`.

mod block_user;
mod list_blocks;
mod unblock_user;

use actix_web::web;
use sakura_wire::{BlockDto, Page};
use utoipa::OpenApi;

use crate::Feature;

/// Blocking people, under `/api/v1/blocks`.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(list_blocks::list_blocks, block_user::block_user, unblock_user::unblock_user),
    components(schemas(BlockDto, Page<BlockDto>)),
    tags((name = "blocks", description = "Blocking people"))
)]
struct ApiDoc;

fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/blocks")
            .route(web::get().to(list_blocks::list_blocks))
            .route(web::post().to(block_user::block_user)),
    )
    .service(
        web::resource("/api/v1/blocks/{id}").route(web::delete().to(unblock_user::unblock_user)),
    );
}

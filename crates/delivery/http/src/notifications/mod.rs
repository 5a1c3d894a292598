//! Notification endpoints: one handler per file, mirroring `sakura_application::notifications`.

mod list;
mod mark_read;
mod unread_count;

use actix_web::web;
use sakura_wire::{
    NotificationDto, NotificationKindDto, Page, SubjectDto, SubjectTypeDto, UnreadCountDto,
    UserSummaryDto,
};
use utoipa::OpenApi;

use crate::Feature;

/// What happened, for me, under `/api/v1/notifications`.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(list::list_notifications, unread_count::unread_count, mark_read::mark_read),
    components(schemas(
        NotificationDto, Page<NotificationDto>, SubjectDto, UserSummaryDto, UnreadCountDto,
        mark_read::MarkReadRequest, NotificationKindDto, SubjectTypeDto,
    )),
    tags((name = "notifications", description = "What happened, for me"))
)]
struct ApiDoc;

fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v1/notifications").route(web::get().to(list::list_notifications)),
    )
    .service(
        web::resource("/api/v1/notifications/unread-count")
            .route(web::get().to(unread_count::unread_count)),
    )
    .service(
        web::resource("/api/v1/notifications/read").route(web::post().to(mark_read::mark_read)),
    );
}

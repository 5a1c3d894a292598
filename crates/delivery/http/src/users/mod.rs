//! User endpoints: one handler per file, mirroring `sakura_application::users` (and the friends
//! lists of a user's page, `/users/{id}/friends...`).

mod get_me;
mod get_settings;
mod get_user;
mod list_friends;
mod mutual_friends;
mod search;
mod suggestions;
mod update_me;
mod update_settings;

use actix_web::web;
use sakura_wire::{
    MeDto, MessagesPrivacyDto, Page, PrivacyDto, PrivacyLevelDto, SettingsDto, SuggestionDto,
    ThemeDto, UserDto,
};
use utoipa::OpenApi;

use crate::Feature;

/// People and their pages, under `/api/v1/users`.
pub(crate) const FEATURE: Feature = Feature {
    configure,
    openapi: ApiDoc::openapi,
};

#[derive(OpenApi)]
#[openapi(
    paths(
        get_me::get_me, update_me::update_me, get_settings::get_settings,
        update_settings::update_settings, get_user::get_user, search::search,
        suggestions::suggestions, list_friends::list_friends, mutual_friends::mutual_friends,
    ),
    components(schemas(
        UserDto, MeDto, SettingsDto, PrivacyDto, Page<UserDto>, SuggestionDto, Page<SuggestionDto>,
        update_me::UpdateMeRequest, update_settings::UpdateSettingsRequest,
        update_settings::PrivacyPatchRequest, ThemeDto, PrivacyLevelDto, MessagesPrivacyDto,
    )),
    tags((name = "users", description = "People and their pages"))
)]
struct ApiDoc;

fn configure(cfg: &mut web::ServiceConfig) {
    // `/users/me...` before `/users/{id}...`: actix matches in registration order.
    cfg.service(
        web::resource("/api/v1/users/me")
            .route(web::get().to(get_me::get_me))
            .route(web::patch().to(update_me::update_me)),
    )
    .service(
        web::resource("/api/v1/users/me/settings")
            .route(web::get().to(get_settings::get_settings))
            .route(web::patch().to(update_settings::update_settings)),
    )
    .service(
        web::resource("/api/v1/users/me/suggestions")
            .route(web::get().to(suggestions::suggestions)),
    )
    .service(web::resource("/api/v1/users").route(web::get().to(search::search)))
    .service(web::resource("/api/v1/users/{id}").route(web::get().to(get_user::get_user)))
    .service(
        web::resource("/api/v1/users/{id}/friends")
            .route(web::get().to(list_friends::list_friends)),
    )
    .service(
        web::resource("/api/v1/users/{id}/friends/mutual")
            .route(web::get().to(mutual_friends::mutual_friends)),
    );
}

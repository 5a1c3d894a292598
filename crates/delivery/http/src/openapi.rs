//! The OpenAPI document, generated from the handlers so it cannot drift from them.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{auth, blocks, dto, friends, notifications, ops, photos, problem, users};

/// Sakura's HTTP API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sakura API",
        description = "The HTTP API of Sakura, a social network. Errors are RFC 9457 problem details with a stable `code`. Realtime events travel over the WebSocket at `/ws` (see REALTIME.md)."
    ),
    paths(
        ops::live, ops::ready, ops::metrics,
        auth::register, auth::login, auth::refresh, auth::logout, auth::logout_all,
        auth::list_sessions, auth::revoke_session, auth::change_password,
        users::get_me, users::update_me, users::get_settings, users::update_settings,
        users::get_user, users::search, users::suggestions,
        users::list_friends, users::mutual_friends,
        friends::list_requests, friends::send_request, friends::accept_request,
        friends::decline_request, friends::cancel_request, friends::unfriend,
        blocks::list_blocks, blocks::block_user, blocks::unblock_user,
        notifications::list_notifications, notifications::unread_count, notifications::mark_read,
        photos::upload_photo, photos::get_photo, photos::list_photos, photos::update_photo,
        photos::delete_photo, photos::set_avatar, photos::clear_avatar, photos::media,
    ),
    components(schemas(
        problem::Problem, problem::FieldError, ops::Health,
        dto::TokenResponse, dto::SessionDto, dto::Page<dto::SessionDto>,
        dto::UserDto, dto::MeDto, dto::SettingsDto, dto::PrivacyDto, dto::FriendshipDto,
        auth::RegisterRequest, auth::LoginRequest, auth::RefreshRequest, auth::ChangePasswordRequest,
        dto::Page<dto::UserDto>, dto::Page<dto::SuggestionDto>, dto::Page<dto::FriendRequestDto>,
        dto::Page<dto::BlockDto>, dto::Page<dto::NotificationDto>,
        dto::SuggestionDto, dto::FriendshipStatusDto, dto::FriendRequestDto, dto::BlockDto,
        dto::NotificationDto, dto::SubjectDto, dto::UserSummaryDto, dto::UnreadCountDto,
        users::UpdateMeRequest, users::UpdateSettingsRequest, users::PrivacyPatchRequest,
        friends::UserRef, notifications::MarkReadRequest,
        dto::PhotoDto, dto::Page<dto::PhotoDto>, photos::UploadForm, photos::UpdatePhotoRequest,
        photos::AvatarRequest,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Accounts, tokens and sessions"),
        (name = "users", description = "People and their pages"),
        (name = "friends", description = "Friend requests and friends"),
        (name = "blocks", description = "Blocking people"),
        (name = "notifications", description = "What happened, for me"),
        (name = "photos", description = "Photos, avatars and media"),
        (name = "ops", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;

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

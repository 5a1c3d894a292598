//! `GET /api/v1/users/me/settings`

use actix_web::web;
use sakura_services::UserServices;
use sakura_wire::SettingsDto;

use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

/// My theme and privacy settings.
#[utoipa::path(
    get, path = "/api/v1/users/me/settings", tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My settings", body = SettingsDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_settings(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
) -> Result<web::Json<SettingsDto>, ApiError> {
    let me = state.get_me.execute(principal.user_id).await?;
    Ok(web::Json(SettingsDto::from(&me.user.settings)))
}

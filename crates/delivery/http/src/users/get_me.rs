//! `GET /api/v1/users/me`

use actix_web::web;
use sakura_application::users::GetMeError;
use sakura_services::UserServices;
use sakura_wire::MeDto;

use crate::extract::Authenticated;
use crate::problem::{ApiError, Problem};

impl From<GetMeError> for ApiError {
    fn from(error: GetMeError) -> Self {
        match error {
            GetMeError::NotFound => {
                ApiError::unauthorized("invalid_token", "the account no longer exists")
            }
            GetMeError::Unavailable(e) => ApiError::unavailable(&e),
            GetMeError::Unexpected(e) => ApiError::internal(&e),
        }
    }
}

/// My full profile, with my email and settings.
#[utoipa::path(
    get, path = "/api/v1/users/me", tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My profile", body = MeDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PostgreSQL is down", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_me(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
) -> Result<web::Json<MeDto>, ApiError> {
    let me = state.get_me.execute(principal.user_id).await?;
    Ok(web::Json(MeDto::new(&me.user, &me.profile)))
}

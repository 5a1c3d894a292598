//! `PATCH /api/v1/users/me/settings`

use std::str::FromStr;

use actix_web::web;
use garde::Validate;
use sakura_application::ports::SettingsPatch;
use sakura_application::users::UpdateSettingsError;
use sakura_services::UserServices;
use sakura_wire::{MessagesPrivacyDto, PrivacyLevelDto, SettingsDto, ThemeDto};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{Authenticated, ValidJson};
use crate::problem::{ApiError, FieldError, Problem};

/// Privacy choices to change.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PrivacyPatchRequest {
    /// Who sees bio, city and birth date: `everyone` or `friends`.
    #[garde(skip)]
    #[schema(value_type = PrivacyLevelDto, required = false)]
    pub(crate) profile: Option<String>,
    /// Who sees the friends list: `everyone` or `friends`.
    #[garde(skip)]
    #[schema(value_type = PrivacyLevelDto, required = false)]
    pub(crate) friends: Option<String>,
    /// Who sees the photos: `everyone` or `friends`.
    #[garde(skip)]
    #[schema(value_type = PrivacyLevelDto, required = false)]
    pub(crate) photos: Option<String>,
    /// Who may message: `everyone`, `friends` or `nobody`.
    #[garde(skip)]
    #[schema(value_type = MessagesPrivacyDto, required = false)]
    pub(crate) messages: Option<String>,
}

/// Settings to change; absent ones stay as they are.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateSettingsRequest {
    /// `light` or `dark`.
    #[garde(skip)]
    #[schema(value_type = ThemeDto, required = false)]
    pub(crate) theme: Option<String>,
    /// Privacy choices.
    #[garde(skip)]
    #[schema(value_type = PrivacyPatchRequest, required = false)]
    pub(crate) privacy: Option<PrivacyPatchRequest>,
}

fn option<T: FromStr>(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: Option<String>,
    allowed: &str,
) -> Option<T> {
    let raw = raw?;
    let parsed = raw.parse().ok();
    if parsed.is_none() {
        errors.push(FieldError {
            field: field.to_owned(),
            message: format!("must be one of {allowed}"),
        });
    }
    parsed
}

impl UpdateSettingsRequest {
    fn into_patch(self) -> Result<SettingsPatch, ApiError> {
        let mut errors = Vec::new();
        let levels = "everyone, friends";
        let privacy = self.privacy.unwrap_or_default();
        let patch = SettingsPatch {
            theme: option(&mut errors, "theme", self.theme, "light, dark"),
            profile: option(&mut errors, "privacy.profile", privacy.profile, levels),
            friends: option(&mut errors, "privacy.friends", privacy.friends, levels),
            photos: option(&mut errors, "privacy.photos", privacy.photos, levels),
            messages: option(
                &mut errors,
                "privacy.messages",
                privacy.messages,
                "everyone, friends, nobody",
            ),
        };
        if errors.is_empty() {
            Ok(patch)
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

/// Change my theme or privacy; my other open sockets get `settings.updated`.
#[utoipa::path(
    patch, path = "/api/v1/users/me/settings", tag = "users",
    request_body = UpdateSettingsRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings now in force", body = SettingsDto),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: an unknown value", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn update_settings(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<UpdateSettingsRequest>,
) -> Result<web::Json<SettingsDto>, ApiError> {
    let patch = body.into_patch()?;
    let settings = state
        .update_settings
        .execute(principal.into(), patch)
        .await
        .map_err(problem)?;
    Ok(web::Json(SettingsDto::from(&settings)))
}

fn problem(error: UpdateSettingsError) -> ApiError {
    match error {
        UpdateSettingsError::UnknownUser => ApiError::not_found("user_not_found", "user not found"),
        UpdateSettingsError::Unavailable(e) => ApiError::unavailable(&e),
        UpdateSettingsError::Unexpected(e) => ApiError::internal(&e),
    }
}

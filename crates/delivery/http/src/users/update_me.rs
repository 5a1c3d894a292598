//! `PATCH /api/v1/users/me`

use actix_web::web;
use garde::Validate;
use sakura_application::ports::ProfilePatch;
use sakura_application::users::UpdateMeError;
use sakura_domain::users::{PersonName, check_birth_date, parse_bio, parse_city};
use sakura_services::UserServices;
use sakura_wire::MeDto;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{Authenticated, ValidJson, nullable};
use crate::problem::{ApiError, FieldError, Problem};

/// A partial update of my page: absent fields stay as they are; `null` clears an optional one.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateMeRequest {
    /// 1–50 characters: letters of any script, spaces, `-`, `'` (not `null`).
    #[garde(skip)]
    #[schema(value_type = String, required = false, min_length = 1, max_length = 50, pattern = r"^[A-Za-z\s'\-\u00AA-\uFFFF]*[A-Za-z\u00AA-\uFFFF][A-Za-z\s'\-\u00AA-\uFFFF]*$", example = "Aiko")]
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) first_name: Option<Option<String>>,
    /// 1–50 characters: letters of any script, spaces, `-`, `'` (not `null`).
    #[garde(skip)]
    #[schema(value_type = String, required = false, min_length = 1, max_length = 50, pattern = r"^[A-Za-z\s'\-\u00AA-\uFFFF]*[A-Za-z\u00AA-\uFFFF][A-Za-z\s'\-\u00AA-\uFFFF]*$", example = "Tanaka")]
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) last_name: Option<Option<String>>,
    /// Up to 500 characters; `null` or empty clears it.
    #[garde(skip)]
    #[schema(value_type = Option<String>, max_length = 500, example = "Photographer in Tokyo.")]
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) bio: Option<Option<String>>,
    /// Up to 100 characters; `null` or empty clears it.
    #[garde(skip)]
    #[schema(value_type = Option<String>, max_length = 100, example = "Tokyo")]
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) city: Option<Option<String>>,
    /// `YYYY-MM-DD`, from 1900-01-01 to today; `null` clears it.
    #[garde(skip)]
    #[schema(value_type = Option<String>, format = Date, example = "1990-04-01")]
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) birth_date: Option<Option<String>>,
}

impl UpdateMeRequest {
    /// Checks every field with the domain's rules, reporting all problems at once.
    fn into_patch(self) -> Result<ProfilePatch, ApiError> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.to_owned(),
                message,
            });
        };
        let mut name = |field: &str, value: Option<Option<String>>| match value {
            None => None,
            Some(None) => {
                fail(field, "must not be null".into());
                None
            }
            Some(Some(raw)) => PersonName::parse(&raw)
                .map_err(|e| fail(field, e.to_string()))
                .ok(),
        };
        let first_name = name("firstName", self.first_name);
        let last_name = name("lastName", self.last_name);
        let bio = self.bio.map(|v| {
            v.map(|raw| parse_bio(&raw))
                .transpose()
                .map(Option::flatten)
        });
        let bio = bio
            .transpose()
            .map_err(|e| fail("bio", e.to_string()))
            .ok()
            .flatten();
        let city = self.city.map(|v| {
            v.map(|raw| parse_city(&raw))
                .transpose()
                .map(Option::flatten)
        });
        let city = city
            .transpose()
            .map_err(|e| fail("city", e.to_string()))
            .ok()
            .flatten();
        let today = sakura_domain::clock::now().date();
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let birth_date = match self.birth_date {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => match time::Date::parse(raw.trim(), &format) {
                Err(_) => {
                    fail("birthDate", "must be a date like 1990-04-01".into());
                    None
                }
                Ok(date) => check_birth_date(date, today)
                    .map(|d| Some(Some(d)))
                    .unwrap_or_else(|e| {
                        fail("birthDate", e.to_string());
                        None
                    }),
            },
        };
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        Ok(ProfilePatch {
            first_name,
            last_name,
            bio,
            city,
            birth_date,
        })
    }
}

/// Edit my page.
#[utoipa::path(
    patch, path = "/api/v1/users/me", tag = "users",
    request_body = UpdateMeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My updated profile", body = MeDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn update_me(
    state: web::Data<UserServices>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<UpdateMeRequest>,
) -> Result<web::Json<MeDto>, ApiError> {
    let patch = body.into_patch()?;
    state
        .update_me
        .execute(principal.user_id, patch)
        .await
        .map_err(problem)?;
    let me = state.get_me.execute(principal.user_id).await?;
    Ok(web::Json(MeDto::new(&me.user, &me.profile)))
}

fn problem(error: UpdateMeError) -> ApiError {
    match error {
        UpdateMeError::UnknownUser => ApiError::not_found("user_not_found", "user not found"),
        UpdateMeError::Unavailable(e) => ApiError::unavailable(&e),
        UpdateMeError::Unexpected(e) => ApiError::internal(&e),
    }
}

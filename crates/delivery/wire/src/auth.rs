//! Tokens and sessions on the wire.

use sakura_application::auth::{AuthenticatedSession, SessionView};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::MeDto;

/// The answer of register, login and refresh.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    /// Who is logged in.
    pub user: MeDto,
    /// Send as `Authorization: Bearer <accessToken>`.
    #[schema(
        example = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkyZjVlMCJ9.c2lnbmF0dXJl"
    )]
    pub access_token: String,
    /// When the access token expires.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:15:00Z", value_type = String, format = DateTime)]
    pub access_token_expires_at: OffsetDateTime,
    /// Trade for a new pair at `/auth/refresh`; also set as the `refresh_token` cookie.
    #[schema(example = "q3JcTzWl0pXh8h0m5cUQ0b7Tt6vVdQ3ZkqNn2Yk5b8E")]
    pub refresh_token: String,
    /// When the refresh token expires unless used.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-12-24T10:00:00Z", value_type = String, format = DateTime)]
    pub refresh_token_expires_at: OffsetDateTime,
}

impl TokenResponse {
    /// The answer for `session`, whose user is shown as `user`.
    pub fn new(session: &AuthenticatedSession, user: MeDto) -> Self {
        Self {
            user,
            access_token: session.access_token.clone(),
            access_token_expires_at: session.access_token_expires_at,
            refresh_token: session.refresh_token.clone(),
            refresh_token_expires_at: session.refresh_token_expires_at,
        }
    }
}

/// One logged-in device.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    /// Session id (the `sid` of its access tokens).
    #[schema(example = "0192f5e1-2d3c-7a4b-8e5f-6a7b8c9d0e1f")]
    pub id: Uuid,
    /// When the user logged in there.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-01T08:00:00Z", value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// When it last refreshed its tokens.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = String, format = DateTime)]
    pub last_used_at: OffsetDateTime,
    /// Its `User-Agent`.
    #[schema(example = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")]
    pub user_agent: Option<String>,
    /// Whether this request came through it.
    pub current: bool,
}

impl From<SessionView> for SessionDto {
    fn from(view: SessionView) -> Self {
        Self {
            id: view.session.id.as_uuid(),
            created_at: view.session.created_at,
            last_used_at: view.session.last_used_at,
            user_agent: view.session.user_agent,
            current: view.current,
        }
    }
}

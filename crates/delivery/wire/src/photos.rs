//! Photos on the wire.

use sakura_domain::photos::Photo;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::media_url;

/// A photo.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PhotoDto {
    /// Id.
    #[schema(example = "0192f5e1-2d3c-7a4b-8e5f-6a7b8c9d0e1f")]
    pub id: Uuid,
    /// Whose it is.
    #[schema(example = "0192f5e0-7c1a-7b3e-9d4f-2a6b8c0d1e2f")]
    pub owner_id: Uuid,
    /// The picture (upright, without metadata): `/media/{key}`.
    #[schema(
        example = "/media/3f9a6c0d2b8e4f71a5c9d0e1b2f3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5.jpg"
    )]
    pub url: String,
    /// Its thumbnail (longest side 320 px).
    #[schema(
        example = "/media/7c1d9e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d.jpg"
    )]
    pub thumbnail_url: String,
    /// Width in pixels.
    #[schema(example = 1600)]
    pub width: u32,
    /// Height in pixels.
    #[schema(example = 1200)]
    pub height: u32,
    /// Caption.
    #[schema(example = "Cherry blossoms at Ueno")]
    pub caption: Option<String>,
    /// When it was uploaded.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(example = "2026-11-24T10:00:00Z", value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl From<&Photo> for PhotoDto {
    fn from(photo: &Photo) -> Self {
        Self {
            id: photo.id.as_uuid(),
            owner_id: photo.owner.as_uuid(),
            url: media_url(&photo.original.key),
            thumbnail_url: media_url(&photo.thumbnail.key),
            width: photo.original.width,
            height: photo.original.height,
            caption: photo.caption.as_ref().map(|c| c.as_str().to_owned()),
            created_at: photo.created_at,
        }
    }
}

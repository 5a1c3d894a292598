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
    pub id: Uuid,
    /// Whose it is.
    pub owner_id: Uuid,
    /// The picture (upright, without metadata): `/media/{key}`.
    pub url: String,
    /// Its thumbnail (longest side 320 px).
    pub thumbnail_url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Caption.
    pub caption: Option<String>,
    /// When it was uploaded.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
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

//! Photo metadata and avatars in PostgreSQL.

use anyhow::Context;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::pagination::{Cursor, Page, PageRequest};
use sakura_application::ports::{BlobKey, PhotoRepository};
use sakura_domain::photos::{Caption, Photo, Rendition};
use sakura_domain::{PhotoId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgPool;
use crate::error;
use crate::schema::{photos, users};

/// A `photos` row, read and written.
#[derive(Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = photos, check_for_backend(diesel::pg::Pg))]
pub(crate) struct PhotoRow {
    id: Uuid,
    owner_id: Uuid,
    original_key: String,
    original_type: String,
    original_width: i32,
    original_height: i32,
    original_size: i64,
    thumbnail_key: String,
    thumbnail_type: String,
    thumbnail_width: i32,
    thumbnail_height: i32,
    thumbnail_size: i64,
    caption: Option<String>,
    created_at: OffsetDateTime,
}

fn dimension(value: u32) -> Result<i32, StoreError> {
    i32::try_from(value)
        .map_err(|e| StoreError::Other(anyhow::Error::new(e).context("image dimension")))
}

impl TryFrom<&Photo> for PhotoRow {
    type Error = StoreError;

    fn try_from(photo: &Photo) -> Result<Self, Self::Error> {
        let size = |s: u64| i64::try_from(s).map_err(|e| StoreError::Other(e.into()));
        Ok(Self {
            id: photo.id.as_uuid(),
            owner_id: photo.owner.as_uuid(),
            original_key: photo.original.key.clone(),
            original_type: photo.original.content_type.clone(),
            original_width: dimension(photo.original.width)?,
            original_height: dimension(photo.original.height)?,
            original_size: size(photo.original.size)?,
            thumbnail_key: photo.thumbnail.key.clone(),
            thumbnail_type: photo.thumbnail.content_type.clone(),
            thumbnail_width: dimension(photo.thumbnail.width)?,
            thumbnail_height: dimension(photo.thumbnail.height)?,
            thumbnail_size: size(photo.thumbnail.size)?,
            caption: photo.caption.as_ref().map(|c| c.as_str().to_owned()),
            created_at: photo.created_at,
        })
    }
}

impl TryFrom<PhotoRow> for Photo {
    type Error = anyhow::Error;

    fn try_from(row: PhotoRow) -> Result<Self, Self::Error> {
        let rendition =
            |key, content_type, width: i32, height: i32, size: i64| -> anyhow::Result<Rendition> {
                Ok(Rendition {
                    key,
                    content_type,
                    width: u32::try_from(width).context("stored width")?,
                    height: u32::try_from(height).context("stored height")?,
                    size: u64::try_from(size).context("stored size")?,
                })
            };
        Ok(Photo {
            id: PhotoId::from_uuid(row.id),
            owner: UserId::from_uuid(row.owner_id),
            original: rendition(
                row.original_key,
                row.original_type,
                row.original_width,
                row.original_height,
                row.original_size,
            )?,
            thumbnail: rendition(
                row.thumbnail_key,
                row.thumbnail_type,
                row.thumbnail_width,
                row.thumbnail_height,
                row.thumbnail_size,
            )?,
            caption: row
                .caption
                .as_deref()
                .map(Caption::parse)
                .transpose()
                .context("stored caption")?
                .flatten(),
            created_at: row.created_at,
        })
    }
}

pub(crate) fn to_photo(row: PhotoRow) -> Result<Photo, StoreError> {
    Photo::try_from(row).map_err(StoreError::Other)
}

/// The photo repository on PostgreSQL.
#[derive(Clone)]
pub struct PgPhotoRepository {
    pool: PgPool,
}

impl PgPhotoRepository {
    /// A repository on `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl PhotoRepository for PgPhotoRepository {
    async fn referenced_keys(
        &self,
        keys: &[BlobKey],
    ) -> Result<std::collections::HashSet<BlobKey>, StoreError> {
        if keys.is_empty() {
            return Ok(std::collections::HashSet::new());
        }
        let raw: Vec<&str> = keys.iter().map(BlobKey::as_str).collect();
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        // Each side is an index scan of its UNIQUE key index (photos_original_key_key,
        // photos_thumbnail_key_key).
        let originals: Vec<String> = photos::table
            .filter(photos::original_key.eq_any(&raw))
            .select(photos::original_key)
            .load(&mut conn)
            .await
            .map_err(error::query("find referenced originals"))?;
        let thumbnails: Vec<String> = photos::table
            .filter(photos::thumbnail_key.eq_any(&raw))
            .select(photos::thumbnail_key)
            .load(&mut conn)
            .await
            .map_err(error::query("find referenced thumbnails"))?;
        Ok(originals
            .iter()
            .chain(&thumbnails)
            .filter_map(|key| BlobKey::parse(key))
            .collect())
    }

    async fn create(&self, photo: &Photo) -> Result<(), StoreError> {
        let row = PhotoRow::try_from(photo)?;
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        diesel::insert_into(photos::table)
            .values(&row)
            .execute(&mut conn)
            .await
            .map_err(error::query("insert photo"))?;
        Ok(())
    }

    async fn find(&self, id: PhotoId) -> Result<Option<Photo>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        photos::table
            .find(id.as_uuid())
            .select(PhotoRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(error::query("find photo"))?
            .map(to_photo)
            .transpose()
    }

    async fn list_by_owner(
        &self,
        owner: UserId,
        page: PageRequest,
    ) -> Result<Page<Photo>, StoreError> {
        let after = page.after.map_or(Uuid::max(), |c| c.id);
        let limit = i64::try_from(page.fetch()).unwrap_or(i64::MAX);
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<PhotoRow> = photos::table
            .filter(photos::owner_id.eq(owner.as_uuid()))
            .filter(photos::id.lt(after))
            .order(photos::id.desc())
            .limit(limit)
            .select(PhotoRow::as_select())
            .load(&mut conn)
            .await
            .map_err(error::query("list photos"))?;
        let photos = rows
            .into_iter()
            .map(to_photo)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(photos, page, |p| Cursor {
            key: 0,
            id: p.id.as_uuid(),
        }))
    }

    async fn update_caption(
        &self,
        owner: UserId,
        id: PhotoId,
        caption: Option<&Caption>,
    ) -> Result<Photo, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let row = diesel::update(
            photos::table
                .filter(photos::id.eq(id.as_uuid()))
                .filter(photos::owner_id.eq(owner.as_uuid())),
        )
        .set(photos::caption.eq(caption.map(Caption::as_str)))
        .returning(PhotoRow::as_select())
        .get_result(&mut conn)
        .await
        .map_err(error::query("update caption"))?;
        to_photo(row)
    }

    async fn delete(&self, owner: UserId, id: PhotoId) -> Result<Photo, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let row: PhotoRow = conn
            .transaction(async move |c| {
                diesel::update(users::table.filter(users::avatar_photo_id.eq(id.as_uuid())))
                    .set(users::avatar_photo_id.eq(None::<Uuid>))
                    .execute(c)
                    .await?;
                diesel::delete(
                    photos::table
                        .filter(photos::id.eq(id.as_uuid()))
                        .filter(photos::owner_id.eq(owner.as_uuid())),
                )
                .returning(PhotoRow::as_select())
                .get_result(c)
                .await
            })
            .await
            .map_err(error::query("delete photo"))?;
        to_photo(row)
    }

    async fn set_avatar(&self, owner: UserId, photo: Option<PhotoId>) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let updated = match photo {
            None => {
                diesel::update(users::table.find(owner.as_uuid()))
                    .set(users::avatar_photo_id.eq(None::<Uuid>))
                    .execute(&mut conn)
                    .await
            }
            // One statement: the photo must be the owner's at the moment it becomes the avatar.
            Some(id) => {
                diesel::update(users::table.find(owner.as_uuid()))
                    .filter(diesel::dsl::exists(
                        photos::table
                            .filter(photos::id.eq(id.as_uuid()))
                            .filter(photos::owner_id.eq(owner.as_uuid())),
                    ))
                    .set(users::avatar_photo_id.eq(Some(id.as_uuid())))
                    .execute(&mut conn)
                    .await
            }
        }
        .map_err(error::query("set avatar"))?;
        if updated == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    async fn owned(&self, owner: UserId, ids: &[PhotoId]) -> Result<Vec<PhotoId>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let uuids: Vec<Uuid> = ids.iter().map(PhotoId::as_uuid).collect();
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let found: Vec<Uuid> = photos::table
            .filter(photos::owner_id.eq(owner.as_uuid()))
            .filter(photos::id.eq_any(&uuids))
            .select(photos::id)
            .load(&mut conn)
            .await
            .map_err(error::query("check photo owners"))?;
        Ok(found.into_iter().map(PhotoId::from_uuid).collect())
    }
}

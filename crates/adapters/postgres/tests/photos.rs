//! `PgPhotoRepository` against the real PostgreSQL: round trips, keyset pages, owner-only
//! changes, avatars (read back from `users.avatar_photo_id`), the ownership check, cascades and
//! unique keys. Each test gets a fresh database.

use std::collections::HashSet;

use anyhow::{Context, ensure};
use diesel::sql_types::{Nullable, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use sakura_application::StoreError;
use sakura_application::pagination::PageRequest;
use sakura_application::ports::{
    BlobKey, MediaKind, NewUser, PasswordHash, PhotoRepository, UserRepository,
};
use sakura_domain::photos::{Caption, Photo, Rendition};
use sakura_domain::users::{Email, PersonName, Settings, User};
use sakura_domain::{PhotoId, UserId};
use sakura_postgres::{PgPhotoRepository, PgPool, PgUserRepository, connect, run_migrations};
use sakura_test_services::TestDatabase;
use uuid::Uuid;

/// A fresh database with the user and photo repositories on it.
struct World {
    _db: TestDatabase,
    pool: PgPool,
    users: PgUserRepository,
    photos: PgPhotoRepository,
}

#[derive(diesel::QueryableByName)]
struct AvatarRow {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    avatar_photo_id: Option<Uuid>,
}

fn rendition(kind: MediaKind, width: u32, height: u32, size: u64) -> Rendition {
    Rendition {
        key: BlobKey::random(kind).as_str().to_owned(),
        content_type: kind.content_type().to_owned(),
        width,
        height,
        size,
    }
}

/// A photo of `owner` as an upload would make it: a JPEG and its WebP thumbnail, no caption.
fn photo_of(owner: UserId) -> Photo {
    Photo {
        id: PhotoId::new(),
        owner,
        original: rendition(MediaKind::Jpeg, 1200, 800, 245_760),
        thumbnail: rendition(MediaKind::WebP, 320, 213, 9_876),
        caption: None,
        created_at: sakura_domain::clock::now(),
    }
}

impl World {
    async fn new() -> anyhow::Result<Self> {
        let db = TestDatabase::new(run_migrations).await;
        let pool = connect(db.url(), 4)?;
        Ok(Self {
            users: PgUserRepository::new(pool.clone()),
            photos: PgPhotoRepository::new(pool.clone()),
            pool,
            _db: db,
        })
    }

    async fn user(&self, first: &str) -> anyhow::Result<UserId> {
        let user = User {
            id: UserId::new(),
            first_name: PersonName::parse(first)?,
            last_name: PersonName::parse("Tanaka")?,
            email: Email::parse(&format!("u{}@example.com", Uuid::new_v4().simple()))?,
            bio: None,
            city: None,
            birth_date: None,
            settings: Settings::default(),
            created_at: sakura_domain::clock::now(),
        };
        self.users
            .create(&NewUser {
                user: user.clone(),
                password_hash: PasswordHash("x".into()),
            })
            .await?;
        Ok(user.id)
    }

    /// Stores a new photo of `owner`.
    async fn photo(&self, owner: UserId) -> anyhow::Result<Photo> {
        let photo = photo_of(owner);
        self.photos.create(&photo).await?;
        Ok(photo)
    }

    /// `users.avatar_photo_id`, read with SQL rather than through the port under test.
    async fn avatar(&self, user: UserId) -> anyhow::Result<Option<PhotoId>> {
        let mut conn = self.pool.get().await?;
        let row: AvatarRow = diesel::sql_query("SELECT avatar_photo_id FROM users WHERE id = $1")
            .bind::<SqlUuid, _>(user.as_uuid())
            .get_result(&mut conn)
            .await
            .context("read the avatar")?;
        Ok(row.avatar_photo_id.map(PhotoId::from_uuid))
    }
}

// Create and find

#[tokio::test]
async fn a_photo_without_a_caption_reads_back_as_it_was_written() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let photo = photo_of(aiko);

    world.photos.create(&photo).await?;

    assert_eq!(world.photos.find(photo.id).await?, Some(photo));
    Ok(())
}

#[tokio::test]
async fn a_photo_with_a_caption_and_large_sizes_reads_back_as_it_was_written() -> anyhow::Result<()>
{
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let photo = Photo {
        original: rendition(MediaKind::Png, 7_000, 5_000, 3_000_000_000),
        thumbnail: rendition(MediaKind::Gif, 320, 229, 1),
        caption: Caption::parse("桜 in Kyoto, \"spring\" 2026")?,
        ..photo_of(aiko)
    };

    world.photos.create(&photo).await?;

    let found = world.photos.find(photo.id).await?.context("photo stored")?;
    assert_eq!(found, photo);
    assert_eq!(found.original.content_type, "image/png");
    assert_eq!(found.thumbnail.content_type, "image/gif");
    Ok(())
}

#[tokio::test]
async fn finding_an_unknown_photo_is_none() -> anyhow::Result<()> {
    let world = World::new().await?;

    assert_eq!(world.photos.find(PhotoId::new()).await?, None);
    Ok(())
}

#[tokio::test]
async fn a_second_photo_with_the_same_original_key_is_a_conflict() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let first = world.photo(aiko).await?;
    let copy = Photo {
        original: first.original.clone(),
        ..photo_of(aiko)
    };

    let result = world.photos.create(&copy).await;

    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert_eq!(world.photos.find(copy.id).await?, None);
    Ok(())
}

#[tokio::test]
async fn a_second_photo_with_the_same_thumbnail_key_is_a_conflict() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let first = world.photo(aiko).await?;
    let copy = Photo {
        thumbnail: first.thumbnail.clone(),
        ..photo_of(aiko)
    };

    let result = world.photos.create(&copy).await;

    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    Ok(())
}

// Listing

#[tokio::test]
async fn an_owners_photos_page_newest_first_without_gaps_or_repeats() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let mut uploaded = Vec::new();
    for _ in 0..7 {
        uploaded.push(world.photo(aiko).await?.id);
        world.photo(ren).await?;
    }
    let newest_first: Vec<PhotoId> = uploaded.iter().rev().copied().collect();

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut page = PageRequest {
        limit: 3,
        after: None,
    };
    loop {
        let got = world.photos.list_by_owner(aiko, page).await?;
        sizes.push(got.items.len());
        seen.extend(got.items.iter().map(|p| p.id));
        match got.next {
            Some(cursor) => page.after = Some(cursor),
            None => break,
        }
        ensure!(sizes.len() < 10, "the pages never end");
    }

    assert_eq!(sizes, vec![3, 3, 1]);
    assert_eq!(seen, newest_first);
    Ok(())
}

#[tokio::test]
async fn a_list_never_shows_another_users_photos() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let mine = world.photo(aiko).await?;
    world.photo(ren).await?;

    let page = world
        .photos
        .list_by_owner(aiko, PageRequest::first())
        .await?;
    let nobodys = world
        .photos
        .list_by_owner(UserId::new(), PageRequest::first())
        .await?;

    assert_eq!(page.items, vec![mine]);
    assert_eq!(page.next, None);
    assert_eq!(nobodys.items, vec![]);
    Ok(())
}

// Captions

#[tokio::test]
async fn the_owner_sets_and_then_clears_a_caption() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let photo = world.photo(aiko).await?;
    let caption = Caption::parse("Fuji at dawn")?.context("a caption")?;

    let captioned = world
        .photos
        .update_caption(aiko, photo.id, Some(&caption))
        .await?;
    assert_eq!(captioned.caption, Some(caption.clone()));
    assert_eq!(
        captioned,
        Photo {
            caption: Some(caption),
            ..photo.clone()
        }
    );
    assert_eq!(world.photos.find(photo.id).await?, Some(captioned));

    let cleared = world.photos.update_caption(aiko, photo.id, None).await?;
    assert_eq!(cleared, photo);
    assert_eq!(world.photos.find(photo.id).await?, Some(photo));
    Ok(())
}

#[tokio::test]
async fn captioning_someone_elses_photo_is_not_found_and_changes_nothing() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let photo = world.photo(aiko).await?;
    let caption = Caption::parse("mine now")?.context("a caption")?;

    let result = world
        .photos
        .update_caption(ren, photo.id, Some(&caption))
        .await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(world.photos.find(photo.id).await?, Some(photo));
    Ok(())
}

#[tokio::test]
async fn captioning_an_unknown_photo_is_not_found() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;

    let result = world
        .photos
        .update_caption(aiko, PhotoId::new(), None)
        .await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    Ok(())
}

// Deleting

#[tokio::test]
async fn deleting_a_photo_returns_it_and_removes_its_row() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let photo = world.photo(aiko).await?;
    let kept = world.photo(aiko).await?;

    let deleted = world.photos.delete(aiko, photo.id).await?;

    assert_eq!(deleted, photo);
    assert_eq!(world.photos.find(photo.id).await?, None);
    assert_eq!(world.photos.find(kept.id).await?, Some(kept));
    Ok(())
}

#[tokio::test]
async fn deleting_my_avatar_photo_clears_my_avatar() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let photo = world.photo(aiko).await?;
    world.photos.set_avatar(aiko, Some(photo.id)).await?;

    world.photos.delete(aiko, photo.id).await?;

    assert_eq!(world.avatar(aiko).await?, None);
    Ok(())
}

#[tokio::test]
async fn deleting_another_photo_keeps_my_avatar() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let avatar = world.photo(aiko).await?;
    let other = world.photo(aiko).await?;
    world.photos.set_avatar(aiko, Some(avatar.id)).await?;

    world.photos.delete(aiko, other.id).await?;

    assert_eq!(world.avatar(aiko).await?, Some(avatar.id));
    Ok(())
}

#[tokio::test]
async fn deleting_someone_elses_photo_is_not_found_and_changes_nothing() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let photo = world.photo(aiko).await?;
    world.photos.set_avatar(aiko, Some(photo.id)).await?;

    let result = world.photos.delete(ren, photo.id).await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(world.photos.find(photo.id).await?, Some(photo.clone()));
    // The avatar is cleared before the owner check inside the transaction: it must roll back.
    assert_eq!(world.avatar(aiko).await?, Some(photo.id));
    Ok(())
}

#[tokio::test]
async fn deleting_an_unknown_photo_is_not_found() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;

    let result = world.photos.delete(aiko, PhotoId::new()).await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    Ok(())
}

#[tokio::test]
async fn deleting_a_user_deletes_their_photos_avatar_included() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let avatar = world.photo(aiko).await?;
    let other = world.photo(aiko).await?;
    let rens = world.photo(ren).await?;
    world.photos.set_avatar(aiko, Some(avatar.id)).await?;

    ensure!(world.users.delete(aiko).await?, "the user was deleted");

    assert_eq!(world.photos.find(avatar.id).await?, None);
    assert_eq!(world.photos.find(other.id).await?, None);
    assert_eq!(world.photos.find(rens.id).await?, Some(rens));
    Ok(())
}

// Avatars

#[tokio::test]
async fn one_of_my_photos_becomes_my_avatar() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let photo = world.photo(aiko).await?;

    world.photos.set_avatar(aiko, Some(photo.id)).await?;

    assert_eq!(world.avatar(aiko).await?, Some(photo.id));
    Ok(())
}

#[tokio::test]
async fn someone_elses_photo_as_avatar_is_not_found_and_changes_nothing() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let mine = world.photo(ren).await?;
    let theirs = world.photo(aiko).await?;
    world.photos.set_avatar(ren, Some(mine.id)).await?;

    let result = world.photos.set_avatar(ren, Some(theirs.id)).await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(world.avatar(ren).await?, Some(mine.id));
    assert_eq!(world.avatar(aiko).await?, None);
    Ok(())
}

#[tokio::test]
async fn an_unknown_photo_as_avatar_is_not_found() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;

    let result = world.photos.set_avatar(aiko, Some(PhotoId::new())).await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(world.avatar(aiko).await?, None);
    Ok(())
}

#[tokio::test]
async fn no_photo_clears_my_avatar_and_keeps_the_photo() -> anyhow::Result<()> {
    let world = World::new().await?;
    let aiko = world.user("Aiko").await?;
    let photo = world.photo(aiko).await?;
    world.photos.set_avatar(aiko, Some(photo.id)).await?;

    world.photos.set_avatar(aiko, None).await?;

    assert_eq!(world.avatar(aiko).await?, None);
    assert_eq!(world.photos.find(photo.id).await?, Some(photo));
    Ok(())
}

// Ownership check

#[tokio::test]
async fn owned_keeps_only_the_owners_photos_among_mixed_and_unknown_ids() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let mine = [world.photo(aiko).await?.id, world.photo(aiko).await?.id];
    let theirs = world.photo(ren).await?.id;
    let unknown = PhotoId::new();

    let owned = world
        .photos
        .owned(aiko, &[theirs, mine[0], unknown, mine[1]])
        .await?;

    assert_eq!(
        owned.into_iter().collect::<HashSet<_>>(),
        HashSet::from(mine)
    );
    Ok(())
}

#[tokio::test]
async fn owned_of_no_ids_or_only_others_ids_is_empty() -> anyhow::Result<()> {
    let world = World::new().await?;
    let (aiko, ren) = (world.user("Aiko").await?, world.user("Ren").await?);
    let theirs = world.photo(ren).await?.id;

    assert_eq!(world.photos.owned(aiko, &[]).await?, vec![]);
    assert_eq!(
        world.photos.owned(aiko, &[theirs, PhotoId::new()]).await?,
        vec![]
    );
    Ok(())
}

#[tokio::test]
async fn referenced_keys_names_originals_and_thumbnails_of_a_batch() -> anyhow::Result<()> {
    let world = World::new().await?;
    let owner = world.user("Aiko").await?;
    let photo = world.photo(owner).await?;
    let original = BlobKey::parse(&photo.original.key).context("a key")?;
    let thumbnail = BlobKey::parse(&photo.thumbnail.key).context("a key")?;
    let orphan = BlobKey::random(MediaKind::Png);
    let found = world
        .photos
        .referenced_keys(&[original.clone(), orphan, thumbnail.clone()])
        .await?;
    ensure!(found == HashSet::from([original, thumbnail]), "{found:?}");
    ensure!(world.photos.referenced_keys(&[]).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_job_lock_is_held_by_one_lease_and_freed_when_it_is_dropped() -> anyhow::Result<()> {
    use sakura_application::ports::JobLock;
    let world = World::new().await?;
    // Two locks on separate pools: as two instances would hold them.
    let first = sakura_postgres::PgJobLock::new(world.pool.clone());
    let second = sakura_postgres::PgJobLock::new(connect(world._db.url(), 2)?);
    let lease = first.try_lock("sweep").await?.context("a free lock")?;
    ensure!(second.try_lock("sweep").await?.is_none(), "held twice");
    ensure!(
        second.try_lock("other").await?.is_some(),
        "another job is free"
    );
    drop(lease);
    // The lease's connection closed; PostgreSQL frees the lock with its session.
    let mut freed = None;
    for _ in 0..100 {
        freed = second.try_lock("sweep").await?;
        if freed.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    ensure!(
        freed.is_some(),
        "the lock stayed held after its lease was dropped"
    );
    Ok(())
}

//! Photo use cases against in-memory fakes: uploads and their compensation, privacy and blocks
//! on reads, owner-only changes, avatars, the ownership check and media reads.

use std::sync::Arc;

use anyhow::{Context, ensure};
use futures_executor::block_on;
use sakura_application::ReadError;
use sakura_application::pagination::PageRequest;
use sakura_application::photos::{
    CheckOwnPhotos, DeletePhoto, GetMedia, GetPhoto, ListPhotos, PhotoChangeError, SetAvatar,
    UpdateCaption, UploadError, UploadPhoto,
};
use sakura_application::ports::{
    BlobKey, MediaKind, NewUser, PasswordHash, SettingsPatch, UserRepository,
};
use sakura_application::testing::{
    FakeClock, FakeImages, InMemoryBlobs, InMemoryPhotos, InMemorySocial, InMemoryUsers,
    SocialGraphExt, UserRepositoryExt,
};
use sakura_domain::friends::FriendAction;
use sakura_domain::photos::{Caption, Photo};
use sakura_domain::users::{Email, PersonName, PrivacyLevel, Settings, User};
use sakura_domain::{PhotoId, UserId};

/// Every fake the photo use cases need, over one set of users.
struct World {
    users: Arc<InMemoryUsers>,
    social: Arc<InMemorySocial>,
    photos: Arc<InMemoryPhotos>,
    blobs: Arc<InMemoryBlobs>,
}

impl World {
    fn new() -> Self {
        let users = Arc::new(InMemoryUsers::default());
        Self {
            social: Arc::new(InMemorySocial::new(users.clone())),
            users,
            photos: Arc::default(),
            blobs: Arc::default(),
        }
    }

    fn user(&self, name: &str) -> anyhow::Result<UserId> {
        let user = User {
            id: UserId::new(),
            first_name: PersonName::parse(name)?,
            last_name: PersonName::parse("Tanaka")?,
            email: Email::parse(&format!("{}@example.com", UserId::new()))?,
            bio: None,
            city: None,
            birth_date: None,
            settings: Settings::default(),
            created_at: sakura_domain::clock::now(),
        };
        let id = user.id;
        block_on(self.users.create(&NewUser {
            user,
            password_hash: PasswordHash("x".into()),
        }))?;
        Ok(id)
    }

    fn befriend(&self, a: UserId, b: UserId) -> anyhow::Result<()> {
        block_on(self.social.apply(a, b, FriendAction::Request))?;
        block_on(self.social.apply(b, a, FriendAction::Accept))?;
        Ok(())
    }

    fn block(&self, blocker: UserId, blocked: UserId) -> anyhow::Result<()> {
        block_on(self.social.block_now(blocker, blocked))?;
        Ok(())
    }

    fn show_photos_to(&self, owner: UserId, level: PrivacyLevel) -> anyhow::Result<()> {
        let patch = SettingsPatch {
            photos: Some(level),
            ..SettingsPatch::default()
        };
        block_on(self.users.update_settings_now(owner, &patch))?;
        Ok(())
    }

    fn upload_photo(&self) -> UploadPhoto {
        UploadPhoto::new(
            self.photos.clone(),
            self.blobs.clone(),
            Arc::new(FakeImages),
            Arc::new(FakeClock::default()),
        )
    }

    fn upload(&self, owner: UserId, bytes: &[u8]) -> Result<Photo, UploadError> {
        block_on(self.upload_photo().execute(owner, bytes.to_vec(), None))
    }

    /// An image of `owner`'s, uploaded successfully.
    fn photo_of(&self, owner: UserId) -> anyhow::Result<Photo> {
        Ok(self.upload(owner, b"img: a photo")?)
    }

    fn get(&self, viewer: UserId, id: PhotoId) -> Result<Photo, ReadError> {
        block_on(GetPhoto::new(self.photos.clone(), self.social.clone()).execute(viewer, id))
    }

    fn list(&self, viewer: UserId, owner: UserId) -> Result<Vec<PhotoId>, ReadError> {
        let list = ListPhotos::new(self.photos.clone(), self.social.clone());
        let page = block_on(list.execute(viewer, owner, PageRequest::first()))?;
        Ok(page.items.iter().map(|p| p.id).collect())
    }

    fn caption(
        &self,
        me: UserId,
        id: PhotoId,
        caption: Option<&str>,
    ) -> anyhow::Result<Result<Photo, PhotoChangeError>> {
        let caption = caption.map(Caption::parse).transpose()?.flatten();
        Ok(block_on(
            UpdateCaption::new(self.photos.clone(), self.social.clone()).execute(
                me,
                id,
                Some(caption),
            ),
        ))
    }

    fn delete(&self, me: UserId, id: PhotoId) -> Result<(), PhotoChangeError> {
        block_on(
            DeletePhoto::new(self.photos.clone(), self.blobs.clone(), self.social.clone())
                .execute(me, id),
        )
    }

    fn set_avatar(&self, me: UserId, photo: Option<PhotoId>) -> Result<(), PhotoChangeError> {
        block_on(SetAvatar::new(self.photos.clone(), self.social.clone()).execute(me, photo))
    }

    fn not_mine(&self, me: UserId, ids: &[PhotoId]) -> anyhow::Result<Vec<PhotoId>> {
        Ok(block_on(
            CheckOwnPhotos::new(self.photos.clone()).execute(me, ids),
        )?)
    }

    fn media(&self, raw_key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let media = block_on(GetMedia::new(self.blobs.clone()).execute(raw_key))?;
        Ok(media.map(|m| m.bytes))
    }
}

fn sorted(mut keys: Vec<String>) -> Vec<String> {
    keys.sort();
    keys
}

// Uploads

#[test]
fn an_upload_stores_the_original_and_the_thumbnail_and_records_them() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let photo = world.photo_of(aiko)?;

    let processed = FakeImages::processed();
    assert_eq!(photo.owner, aiko);
    assert_eq!(photo.caption, None);
    assert_eq!(
        world.blobs.bytes(&photo.original.key),
        Some(processed.original.bytes.clone())
    );
    assert_eq!(
        world.blobs.bytes(&photo.thumbnail.key),
        Some(processed.thumbnail.bytes)
    );
    assert_eq!(
        world.blobs.keys(),
        sorted(vec![
            photo.original.key.clone(),
            photo.thumbnail.key.clone()
        ])
    );
    assert_eq!(world.photos.all(), vec![photo]);
    Ok(())
}

#[test]
fn an_upload_records_each_renditions_type_dimensions_and_size() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let photo = world.photo_of(aiko)?;

    let processed = FakeImages::processed();
    let original = BlobKey::parse(&photo.original.key).context("original key is ours")?;
    let thumbnail = BlobKey::parse(&photo.thumbnail.key).context("thumbnail key is ours")?;
    assert_eq!(original.kind(), MediaKind::Jpeg);
    assert_eq!(thumbnail.kind(), MediaKind::WebP);
    assert_eq!(photo.original.content_type, "image/jpeg");
    assert_eq!(photo.thumbnail.content_type, "image/webp");
    assert_eq!((photo.original.width, photo.original.height), (1200, 800));
    assert_eq!((photo.thumbnail.width, photo.thumbnail.height), (320, 213));
    assert_eq!(photo.original.size, processed.original.bytes.len() as u64);
    assert_eq!(photo.thumbnail.size, processed.thumbnail.bytes.len() as u64);
    Ok(())
}

#[test]
fn an_upload_keeps_its_caption() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let caption = Caption::parse("  Kyoto in spring ")?;

    let photo = block_on(world.upload_photo().execute(aiko, b"img".to_vec(), caption))?;

    assert_eq!(
        photo.caption.as_ref().map(Caption::as_str),
        Some("Kyoto in spring")
    );
    let stored = world.photos.get(photo.id).context("photo stored")?;
    assert_eq!(stored.caption, photo.caption);
    Ok(())
}

#[test]
fn a_failing_original_put_leaves_no_blob_and_no_row() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    world.blobs.fail_nth_put(1);

    let result = world.upload(aiko, b"img");

    assert!(
        matches!(result, Err(UploadError::Unavailable(_))),
        "{result:?}"
    );
    assert_eq!(world.blobs.keys(), Vec::<String>::new());
    assert_eq!(world.photos.all(), vec![]);
    Ok(())
}

#[test]
fn a_failing_thumbnail_put_removes_the_stored_original_and_leaves_no_row() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    world.blobs.fail_nth_put(2);

    let result = world.upload(aiko, b"img");

    assert!(
        matches!(result, Err(UploadError::Unavailable(_))),
        "{result:?}"
    );
    assert_eq!(world.blobs.keys(), Vec::<String>::new());
    assert_eq!(world.photos.all(), vec![]);
    Ok(())
}

#[test]
fn a_failing_row_insert_removes_both_stored_blobs() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    world.photos.fail_creates(true);

    let result = world.upload(aiko, b"img");

    assert!(
        matches!(result, Err(UploadError::Unavailable(_))),
        "{result:?}"
    );
    assert_eq!(world.blobs.keys(), Vec::<String>::new());
    assert_eq!(world.photos.all(), vec![]);
    Ok(())
}

#[test]
fn a_failed_upload_whose_cleanup_also_fails_reports_the_first_failure() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    world.photos.fail_creates(true);
    world.blobs.fail_deletes(true);

    let result = world.upload(aiko, b"img");

    assert!(
        matches!(result, Err(UploadError::Unavailable(_))),
        "{result:?}"
    );
    assert_eq!(world.photos.all(), vec![]);
    Ok(())
}

#[test]
fn an_upload_works_again_once_the_blob_store_is_back() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    world.blobs.fail_all_puts(true);
    assert!(world.upload(aiko, b"img").is_err());
    world.blobs.fail_all_puts(false);

    let photo = world.photo_of(aiko)?;

    assert_eq!(world.photos.all(), vec![photo]);
    assert_eq!(world.blobs.keys().len(), 2);
    Ok(())
}

#[test]
fn bytes_that_are_not_an_image_are_unsupported_and_store_nothing() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let result = world.upload(aiko, b"hello, I am a text file named photo.png");

    assert!(
        matches!(result, Err(UploadError::Unsupported)),
        "{result:?}"
    );
    assert_eq!(world.blobs.keys(), Vec::<String>::new());
    assert_eq!(world.photos.all(), vec![]);
    Ok(())
}

#[test]
fn a_pixel_bomb_is_refused_with_its_size_and_stores_nothing() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let result = world.upload(aiko, b"bomb");

    let (w, h) = FakeImages::BOMB;
    assert!(
        matches!(result, Err(UploadError::TooManyPixels { width, height }) if (width, height) == (w, h)),
        "{result:?}"
    );
    assert_eq!(world.blobs.keys(), Vec::<String>::new());
    assert_eq!(world.photos.all(), vec![]);
    Ok(())
}

// Reading under privacy and blocks

#[test]
fn photos_shown_to_everyone_are_seen_by_a_stranger() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    world.show_photos_to(aiko, PrivacyLevel::Everyone)?;
    let photo = world.photo_of(aiko)?;

    assert_eq!(world.get(ren, photo.id)?, photo);
    assert_eq!(world.list(ren, aiko)?, vec![photo.id]);
    Ok(())
}

#[test]
fn friends_only_photos_are_hidden_from_a_stranger() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    world.show_photos_to(aiko, PrivacyLevel::Friends)?;
    let photo = world.photo_of(aiko)?;

    let got = world.get(ren, photo.id);
    let listed = world.list(ren, aiko);

    assert!(matches!(got, Err(ReadError::Hidden)), "{got:?}");
    assert!(matches!(listed, Err(ReadError::Hidden)), "{listed:?}");
    Ok(())
}

#[test]
fn friends_only_photos_are_seen_by_a_friend() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    world.befriend(aiko, ren)?;
    world.show_photos_to(aiko, PrivacyLevel::Friends)?;
    let photo = world.photo_of(aiko)?;

    assert_eq!(world.get(ren, photo.id)?, photo);
    assert_eq!(world.list(ren, aiko)?, vec![photo.id]);
    Ok(())
}

#[test]
fn friends_only_photos_are_seen_by_their_owner() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    world.show_photos_to(aiko, PrivacyLevel::Friends)?;
    let photo = world.photo_of(aiko)?;

    assert_eq!(world.get(aiko, photo.id)?, photo);
    assert_eq!(world.list(aiko, aiko)?, vec![photo.id]);
    Ok(())
}

#[test]
fn a_pending_request_does_not_unlock_friends_only_photos() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    block_on(world.social.apply(ren, aiko, FriendAction::Request))?;
    world.show_photos_to(aiko, PrivacyLevel::Friends)?;
    let photo = world.photo_of(aiko)?;

    let got = world.get(ren, photo.id);

    assert!(matches!(got, Err(ReadError::Hidden)), "{got:?}");
    Ok(())
}

#[test]
fn an_owner_who_blocked_me_has_no_photos_for_me_even_public_ones() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    world.show_photos_to(aiko, PrivacyLevel::Everyone)?;
    let photo = world.photo_of(aiko)?;
    world.block(aiko, ren)?;

    let got = world.get(ren, photo.id);
    let listed = world.list(ren, aiko);

    assert!(matches!(got, Err(ReadError::NotFound)), "{got:?}");
    assert!(matches!(listed, Err(ReadError::NotFound)), "{listed:?}");
    Ok(())
}

#[test]
fn an_unknown_photo_or_owner_is_not_found() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let got = world.get(aiko, PhotoId::new());
    let listed = world.list(aiko, UserId::new());

    assert!(matches!(got, Err(ReadError::NotFound)), "{got:?}");
    assert!(matches!(listed, Err(ReadError::NotFound)), "{listed:?}");
    Ok(())
}

#[test]
fn a_list_shows_only_the_owners_photos_newest_first() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    let first = world.photo_of(aiko)?;
    world.photo_of(ren)?;
    let second = world.photo_of(aiko)?;

    assert_eq!(world.list(ren, aiko)?, vec![second.id, first.id]);
    Ok(())
}

// Captions

#[test]
fn the_owner_changes_and_then_clears_a_caption() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let photo = world.photo_of(aiko)?;

    let captioned = world.caption(aiko, photo.id, Some("Fuji at dawn"))??;
    assert_eq!(
        captioned.caption.as_ref().map(Caption::as_str),
        Some("Fuji at dawn")
    );
    assert_eq!(world.photos.get(photo.id), Some(captioned));

    let cleared = world.caption(aiko, photo.id, None)??;
    assert_eq!(cleared.caption, None);
    assert_eq!(world.photos.get(photo.id), Some(cleared));
    Ok(())
}

#[test]
fn changing_the_photo_of_someone_who_blocked_me_is_not_found() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    let photo = world.photo_of(aiko)?;
    world.block(aiko, ren)?;

    let caption = world.caption(ren, photo.id, Some("mine now"))?;
    let delete = world.delete(ren, photo.id);
    let avatar = world.set_avatar(ren, Some(photo.id));

    assert!(
        matches!(caption, Err(PhotoChangeError::NotFound)),
        "{caption:?}"
    );
    assert!(
        matches!(delete, Err(PhotoChangeError::NotFound)),
        "{delete:?}"
    );
    assert!(
        matches!(avatar, Err(PhotoChangeError::NotFound)),
        "{avatar:?}"
    );
    assert_eq!(world.photos.get(photo.id), Some(photo));
    Ok(())
}

#[test]
fn captioning_someone_elses_photo_is_forbidden_and_changes_nothing() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    let photo = world.photo_of(aiko)?;

    let result = world.caption(ren, photo.id, Some("mine now"))?;

    assert!(
        matches!(result, Err(PhotoChangeError::Forbidden)),
        "{result:?}"
    );
    assert_eq!(world.photos.get(photo.id), Some(photo));
    Ok(())
}

#[test]
fn captioning_an_unknown_photo_is_not_found() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let result = world.caption(aiko, PhotoId::new(), Some("?"))?;

    assert!(
        matches!(result, Err(PhotoChangeError::NotFound)),
        "{result:?}"
    );
    Ok(())
}

// Deleting

#[test]
fn deleting_a_photo_removes_its_row_and_both_blobs() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let photo = world.photo_of(aiko)?;
    let kept = world.photo_of(aiko)?;

    world.delete(aiko, photo.id)?;

    assert_eq!(world.photos.all(), vec![kept.clone()]);
    assert_eq!(
        world.blobs.keys(),
        sorted(vec![kept.original.key, kept.thumbnail.key])
    );
    Ok(())
}

#[test]
fn deleting_my_avatar_photo_clears_my_avatar() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let photo = world.photo_of(aiko)?;
    world.set_avatar(aiko, Some(photo.id))?;

    world.delete(aiko, photo.id)?;

    assert_eq!(world.photos.avatar(aiko), None);
    Ok(())
}

#[test]
fn deleting_a_photo_whose_blobs_cannot_be_deleted_still_deletes_it() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let photo = world.photo_of(aiko)?;
    world.blobs.fail_deletes(true);

    world.delete(aiko, photo.id)?;

    assert_eq!(world.photos.get(photo.id), None);
    Ok(())
}

#[test]
fn deleting_someone_elses_photo_is_forbidden_and_deletes_nothing() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    let photo = world.photo_of(aiko)?;
    world.set_avatar(aiko, Some(photo.id))?;

    let result = world.delete(ren, photo.id);

    assert!(
        matches!(result, Err(PhotoChangeError::Forbidden)),
        "{result:?}"
    );
    assert_eq!(world.photos.get(photo.id), Some(photo.clone()));
    assert_eq!(world.blobs.keys().len(), 2);
    assert_eq!(world.photos.avatar(aiko), Some(photo.id));
    Ok(())
}

#[test]
fn deleting_an_unknown_photo_is_not_found() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let result = world.delete(aiko, PhotoId::new());

    assert!(
        matches!(result, Err(PhotoChangeError::NotFound)),
        "{result:?}"
    );
    Ok(())
}

// Avatars

#[test]
fn one_of_my_photos_becomes_my_avatar() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let photo = world.photo_of(aiko)?;

    world.set_avatar(aiko, Some(photo.id))?;

    assert_eq!(world.photos.avatar(aiko), Some(photo.id));
    Ok(())
}

#[test]
fn someone_elses_photo_cannot_become_my_avatar() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    let mine = world.photo_of(ren)?;
    let theirs = world.photo_of(aiko)?;
    world.set_avatar(ren, Some(mine.id))?;

    let result = world.set_avatar(ren, Some(theirs.id));

    assert!(
        matches!(result, Err(PhotoChangeError::Forbidden)),
        "{result:?}"
    );
    assert_eq!(world.photos.avatar(ren), Some(mine.id));
    Ok(())
}

#[test]
fn an_unknown_photo_cannot_become_my_avatar() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;

    let result = world.set_avatar(aiko, Some(PhotoId::new()));

    assert!(
        matches!(result, Err(PhotoChangeError::NotFound)),
        "{result:?}"
    );
    assert_eq!(world.photos.avatar(aiko), None);
    Ok(())
}

#[test]
fn no_photo_clears_my_avatar_and_keeps_the_photo() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let photo = world.photo_of(aiko)?;
    world.set_avatar(aiko, Some(photo.id))?;

    world.set_avatar(aiko, None)?;

    assert_eq!(world.photos.avatar(aiko), None);
    assert_eq!(world.photos.get(photo.id), Some(photo));
    Ok(())
}

// Attaching photos elsewhere

#[test]
fn checking_my_photos_returns_the_unknown_and_other_peoples_ids_in_order() -> anyhow::Result<()> {
    let world = World::new();
    let (aiko, ren) = (world.user("Aiko")?, world.user("Ren")?);
    let mine = world.photo_of(aiko)?.id;
    let theirs = world.photo_of(ren)?.id;
    let unknown = PhotoId::new();

    let not_mine = world.not_mine(aiko, &[theirs, mine, unknown])?;

    assert_eq!(not_mine, vec![theirs, unknown]);
    Ok(())
}

#[test]
fn checking_only_my_photos_returns_nothing() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let ids = [world.photo_of(aiko)?.id, world.photo_of(aiko)?.id];

    assert_eq!(world.not_mine(aiko, &ids)?, vec![]);
    assert_eq!(world.not_mine(aiko, &[])?, vec![]);
    Ok(())
}

// Media

#[test]
fn media_serves_the_bytes_under_a_photos_key() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    let photo = world.photo_of(aiko)?;

    let bytes = world.media(&photo.thumbnail.key)?;

    assert_eq!(bytes, Some(FakeImages::processed().thumbnail.bytes));
    Ok(())
}

#[test]
fn media_under_a_malformed_key_is_none() -> anyhow::Result<()> {
    let world = World::new();

    for raw in [
        "",
        "../etc/passwd",
        "photo.jpg",
        &format!("{}.exe", "a".repeat(64)),
    ] {
        ensure!(world.media(raw)?.is_none(), "{raw:?} served something");
    }
    Ok(())
}

#[test]
fn media_under_a_well_formed_key_with_nothing_stored_is_none() -> anyhow::Result<()> {
    let world = World::new();
    let aiko = world.user("Aiko")?;
    world.photo_of(aiko)?;

    let missing = BlobKey::random(MediaKind::Jpeg);

    assert_eq!(world.media(missing.as_str())?, None);
    Ok(())
}

#[test]
fn an_insert_that_committed_but_lost_its_reply_keeps_its_files() -> anyhow::Result<()> {
    let world = World::new();
    let owner = world.user("Aiko")?;
    world.photos.lose_next_create_reply();
    let photo = world.upload(owner, b"img")?;
    assert!(world.photos.get(photo.id).is_some());
    assert_eq!(world.blobs.keys().len(), 2);
    Ok(())
}

mod sweep {
    use std::time::Duration;

    use sakura_application::photos::{SWEEP_JOB, SweepOrphanFiles, SweepReport};
    use sakura_application::ports::{BlobStore, Clock, JobLock};
    use sakura_application::testing::InMemoryJobLock;

    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    struct Sweeper {
        clock: Arc<FakeClock>,
        lock: Arc<InMemoryJobLock>,
        sweep: SweepOrphanFiles,
    }

    fn sweeper(world: &World) -> Sweeper {
        let clock = Arc::new(FakeClock::default());
        let lock = Arc::new(InMemoryJobLock::default());
        let sweep = SweepOrphanFiles::new(
            world.blobs.clone(),
            world.photos.clone(),
            lock.clone(),
            clock.clone(),
            HOUR,
        );
        Sweeper { clock, lock, sweep }
    }

    fn orphan(world: &World) -> anyhow::Result<String> {
        let key = BlobKey::random(MediaKind::Png);
        block_on(world.blobs.put(&key, b"left behind".to_vec()))?;
        Ok(key.as_str().to_owned())
    }

    #[test]
    fn old_orphans_go_while_referenced_and_young_files_stay() -> anyhow::Result<()> {
        let world = World::new();
        let owner = world.user("Aiko")?;
        let photo = world.photo_of(owner)?;
        let old = orphan(&world)?;
        let young = orphan(&world)?;
        let sweeper = sweeper(&world);
        sweeper.clock.advance(time::Duration::hours(2));
        world
            .blobs
            .set_written_at(&young, sweeper.clock.now() - time::Duration::minutes(10));
        let report = block_on(sweeper.sweep.execute())?;
        assert_eq!(
            report,
            SweepReport {
                ran: true,
                looked_at: 4,
                old_enough: 3,
                removed: 1
            }
        );
        let keys = world.blobs.keys();
        assert!(!keys.contains(&old), "the old orphan is gone");
        assert!(
            keys.contains(&young),
            "a young file may be an upload in flight"
        );
        assert!(keys.contains(&photo.original.key) && keys.contains(&photo.thumbnail.key));
        assert!(!sweeper.lock.is_held(SWEEP_JOB), "the lease is released");
        Ok(())
    }

    #[test]
    fn nothing_is_removed_before_an_hour() -> anyhow::Result<()> {
        let world = World::new();
        let kept = orphan(&world)?;
        let sweeper = sweeper(&world);
        sweeper.clock.advance(time::Duration::minutes(59));
        let report = block_on(sweeper.sweep.execute())?;
        assert_eq!((report.looked_at, report.removed), (1, 0));
        assert_eq!(world.blobs.keys(), [kept]);
        Ok(())
    }

    #[test]
    fn every_page_is_swept() -> anyhow::Result<()> {
        let world = World::new();
        for _ in 0..1234 {
            orphan(&world)?;
        }
        let sweeper = sweeper(&world);
        sweeper.clock.advance(time::Duration::hours(2));
        let report = block_on(sweeper.sweep.execute())?;
        assert_eq!((report.looked_at, report.removed), (1234, 1234));
        assert!(world.blobs.keys().is_empty());
        Ok(())
    }

    #[test]
    fn a_sweep_on_another_instance_leaves_this_one_idle() -> anyhow::Result<()> {
        let world = World::new();
        let kept = orphan(&world)?;
        let sweeper = sweeper(&world);
        sweeper.clock.advance(time::Duration::hours(2));
        let held = block_on(sweeper.lock.try_lock(SWEEP_JOB))?.expect("free");
        let report = block_on(sweeper.sweep.execute())?;
        assert_eq!(report, SweepReport::default());
        assert_eq!(world.blobs.keys(), [kept]);
        drop(held);
        assert_eq!(block_on(sweeper.sweep.execute())?.removed, 1);
        Ok(())
    }

    #[test]
    fn a_failing_store_fails_the_sweep_and_releases_the_lock() -> anyhow::Result<()> {
        let world = World::new();
        orphan(&world)?;
        let sweeper = sweeper(&world);
        sweeper.clock.advance(time::Duration::hours(2));
        world.blobs.fail_deletes(true);
        assert!(block_on(sweeper.sweep.execute()).is_err());
        assert!(!sweeper.lock.is_held(SWEEP_JOB));
        world.blobs.fail_deletes(false);
        assert_eq!(block_on(sweeper.sweep.execute())?.removed, 1);
        Ok(())
    }
}

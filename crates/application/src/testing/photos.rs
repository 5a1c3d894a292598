//! In-memory fakes of the photo ports: metadata and avatars, blobs, image processing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use sakura_domain::photos::{Caption, Photo};
use sakura_domain::{PhotoId, UserId};

use crate::StoreError;
use crate::pagination::{Cursor, Page, PageRequest};
use crate::ports::*;

fn down(what: &str) -> StoreError {
    StoreError::unavailable(anyhow::anyhow!("fake failure: {what}"))
}

#[derive(Default)]
struct PhotoState {
    photos: HashMap<PhotoId, Photo>,
    /// user → the photo they chose as avatar, as `users.avatar_photo_id` keeps it.
    avatars: HashMap<UserId, PhotoId>,
}

/// Photos and avatars in memory. Like the database, ids and blob keys are unique (`Conflict`).
#[derive(Default)]
pub struct InMemoryPhotos {
    state: Mutex<PhotoState>,
    fail_creates: AtomicBool,
    lose_create_reply: AtomicBool,
}

impl InMemoryPhotos {
    /// Makes every `create` fail with `Unavailable` (`true`), or succeed again (`false`).
    pub fn fail_creates(&self, fail: bool) {
        self.fail_creates.store(fail, Ordering::SeqCst);
    }

    /// Makes the next `create` store the photo and then answer `Unavailable`, as when the
    /// commit succeeds but the reply is lost.
    pub fn lose_next_create_reply(&self) {
        self.lose_create_reply.store(true, Ordering::SeqCst);
    }

    /// Every stored photo, in no particular order.
    pub fn all(&self) -> Vec<Photo> {
        self.state
            .lock()
            .unwrap()
            .photos
            .values()
            .cloned()
            .collect()
    }

    /// The stored photo `id`, read directly (no port call).
    pub fn get(&self, id: PhotoId) -> Option<Photo> {
        self.state.lock().unwrap().photos.get(&id).cloned()
    }

    /// `user`'s avatar, if they chose one.
    pub fn avatar(&self, user: UserId) -> Option<PhotoId> {
        self.state.lock().unwrap().avatars.get(&user).copied()
    }

    fn mine(state: &mut PhotoState, owner: UserId, id: PhotoId) -> Option<&mut Photo> {
        state.photos.get_mut(&id).filter(|p| p.owner == owner)
    }
}

#[async_trait]
impl PhotoRepository for InMemoryPhotos {
    async fn referenced_keys(
        &self,
        keys: &[BlobKey],
    ) -> Result<std::collections::HashSet<BlobKey>, StoreError> {
        let state = self.state.lock().unwrap();
        let named: std::collections::HashSet<&str> = state
            .photos
            .values()
            .flat_map(|p| [p.original.key.as_str(), p.thumbnail.key.as_str()])
            .collect();
        Ok(keys
            .iter()
            .filter(|key| named.contains(key.as_str()))
            .cloned()
            .collect())
    }

    async fn create(&self, photo: &Photo) -> Result<(), StoreError> {
        if self.fail_creates.load(Ordering::SeqCst) {
            return Err(down("create photo"));
        }
        let mut state = self.state.lock().unwrap();
        let keys = [&photo.original.key, &photo.thumbnail.key];
        let taken = state.photos.contains_key(&photo.id)
            || state
                .photos
                .values()
                .any(|p| keys.contains(&&p.original.key) || keys.contains(&&p.thumbnail.key));
        if taken {
            return Err(StoreError::conflict("photos_keys"));
        }
        state.photos.insert(photo.id, photo.clone());
        if self.lose_create_reply.swap(false, Ordering::SeqCst) {
            return Err(down("create photo (reply lost)"));
        }
        Ok(())
    }

    async fn find(&self, id: PhotoId) -> Result<Option<Photo>, StoreError> {
        Ok(self.get(id))
    }

    async fn list_by_owner(
        &self,
        owner: UserId,
        page: PageRequest,
    ) -> Result<Page<Photo>, StoreError> {
        // Newest first by (time-ordered) id, keyset on the id, as the database does.
        let mut rows: Vec<Photo> = self
            .state
            .lock()
            .unwrap()
            .photos
            .values()
            .filter(|p| p.owner == owner)
            .filter(|p| page.after.is_none_or(|c| p.id.as_uuid() < c.id))
            .cloned()
            .collect();
        rows.sort_by_key(|p| std::cmp::Reverse(p.id));
        rows.truncate(page.fetch());
        Ok(Page::from_rows(rows, page, |p| Cursor {
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
        let mut state = self.state.lock().unwrap();
        let photo = Self::mine(&mut state, owner, id).ok_or(StoreError::NotFound)?;
        photo.caption = caption.cloned();
        Ok(photo.clone())
    }

    async fn delete(&self, owner: UserId, id: PhotoId) -> Result<Photo, StoreError> {
        let mut state = self.state.lock().unwrap();
        Self::mine(&mut state, owner, id).ok_or(StoreError::NotFound)?;
        state.avatars.retain(|_, avatar| *avatar != id);
        state.photos.remove(&id).ok_or(StoreError::NotFound)
    }

    async fn set_avatar(&self, owner: UserId, photo: Option<PhotoId>) -> Result<(), StoreError> {
        let mut state = self.state.lock().unwrap();
        match photo {
            None => {
                state.avatars.remove(&owner);
            }
            Some(id) => {
                Self::mine(&mut state, owner, id).ok_or(StoreError::NotFound)?;
                state.avatars.insert(owner, id);
            }
        }
        Ok(())
    }

    async fn owned(&self, owner: UserId, ids: &[PhotoId]) -> Result<Vec<PhotoId>, StoreError> {
        let state = self.state.lock().unwrap();
        let mut owned: Vec<PhotoId> = ids
            .iter()
            .copied()
            .filter(|id| state.photos.get(id).is_some_and(|p| p.owner == owner))
            .collect();
        owned.sort();
        owned.dedup();
        Ok(owned)
    }
}

#[derive(Default)]
struct BlobFailures {
    /// Puts made so far, failed ones included.
    puts: usize,
    /// The ordinal (in `puts`) of the one put that fails.
    put_number: Option<usize>,
    all_puts: bool,
    deletes: bool,
}

/// Blobs in memory, with switchable failures (all `Unavailable`) to test compensation.
#[derive(Default)]
pub struct InMemoryBlobs {
    blobs: Mutex<HashMap<String, Vec<u8>>>,
    written_at: Mutex<HashMap<String, time::OffsetDateTime>>,
    failures: Mutex<BlobFailures>,
}

impl InMemoryBlobs {
    /// Pretends `key` was written at `at` (puts record the real time).
    pub fn set_written_at(&self, key: &str, at: time::OffsetDateTime) {
        self.written_at.lock().unwrap().insert(key.to_owned(), at);
    }

    /// Makes the `n`th put from now on fail (1 = the next one); the others succeed.
    pub fn fail_nth_put(&self, n: usize) {
        let mut failures = self.failures.lock().unwrap();
        failures.put_number = Some(failures.puts + n);
    }

    /// Makes every put fail (`true`), or stops doing so (`false`).
    pub fn fail_all_puts(&self, fail: bool) {
        self.failures.lock().unwrap().all_puts = fail;
    }

    /// Makes every delete fail (`true`), or stops doing so (`false`).
    pub fn fail_deletes(&self, fail: bool) {
        self.failures.lock().unwrap().deletes = fail;
    }

    /// The stored keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.blobs.lock().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    /// The bytes under `key` (a raw key, as a photo's rendition holds it), read directly.
    pub fn bytes(&self, key: &str) -> Option<Vec<u8>> {
        self.blobs.lock().unwrap().get(key).cloned()
    }
}

#[async_trait]
impl BlobStore for InMemoryBlobs {
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>) -> Result<(), StoreError> {
        {
            let mut failures = self.failures.lock().unwrap();
            failures.puts += 1;
            if failures.all_puts || failures.put_number == Some(failures.puts) {
                return Err(down("put blob"));
            }
        }
        self.blobs
            .lock()
            .unwrap()
            .insert(key.as_str().to_owned(), bytes);
        self.written_at
            .lock()
            .unwrap()
            .insert(key.as_str().to_owned(), sakura_domain::clock::now());
        Ok(())
    }

    async fn list(
        &self,
        after: Option<&BlobKey>,
        limit: usize,
    ) -> Result<Vec<StoredBlob>, StoreError> {
        let written_at = self.written_at.lock().unwrap();
        let mut keys: Vec<String> = self.blobs.lock().unwrap().keys().cloned().collect();
        keys.sort();
        Ok(keys
            .into_iter()
            .filter(|key| after.is_none_or(|after| key.as_str() > after.as_str()))
            .filter_map(|key| {
                let at = written_at.get(&key).copied()?;
                Some(StoredBlob {
                    key: BlobKey::parse(&key)?,
                    written_at: at,
                })
            })
            .take(limit)
            .collect())
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.bytes(key.as_str()))
    }

    async fn delete(&self, key: &BlobKey) -> Result<(), StoreError> {
        if self.failures.lock().unwrap().deletes {
            return Err(down("delete blob"));
        }
        self.blobs.lock().unwrap().remove(key.as_str());
        Ok(())
    }
}

/// Recognises "images" by a prefix: `b"img…"` is an image (always [`FakeImages::processed`]),
/// `b"bomb…"` declares too many pixels, anything else is not an image.
#[derive(Debug, Default, Clone, Copy)]
pub struct FakeImages;

impl FakeImages {
    /// Width and height a bomb declares: 100 megapixels.
    pub const BOMB: (u32, u32) = (10_000, 10_000);

    /// What every image becomes: a 1200×800 JPEG and its 320×213 WebP thumbnail.
    pub fn processed() -> ProcessedImage {
        ProcessedImage {
            original: EncodedImage {
                bytes: b"re-encoded original".to_vec(),
                kind: MediaKind::Jpeg,
                width: 1200,
                height: 800,
            },
            thumbnail: EncodedImage {
                bytes: b"thumbnail".to_vec(),
                kind: MediaKind::WebP,
                width: 320,
                height: 213,
            },
        }
    }
}

#[async_trait]
impl ImageProcessor for FakeImages {
    async fn process(&self, bytes: Vec<u8>) -> Result<ProcessedImage, ImageError> {
        if bytes.starts_with(b"bomb") {
            let (width, height) = Self::BOMB;
            Err(ImageError::TooManyPixels { width, height })
        } else if bytes.starts_with(b"img") {
            Ok(Self::processed())
        } else {
            Err(ImageError::Unsupported)
        }
    }
}

/// A [`JobLock`] in memory: held while its lease lives.
#[derive(Default)]
pub struct InMemoryJobLock {
    held: std::sync::Arc<Mutex<std::collections::HashSet<&'static str>>>,
}

struct Held(
    std::sync::Arc<Mutex<std::collections::HashSet<&'static str>>>,
    &'static str,
);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.lock().unwrap().remove(self.1);
    }
}

impl InMemoryJobLock {
    /// Whether `job` is locked now.
    pub fn is_held(&self, job: &'static str) -> bool {
        self.held.lock().unwrap().contains(job)
    }
}

#[async_trait]
impl JobLock for InMemoryJobLock {
    async fn try_lock(&self, job: &'static str) -> Result<Option<JobLease>, StoreError> {
        if !self.held.lock().unwrap().insert(job) {
            return Ok(None);
        }
        Ok(Some(JobLease::new(Held(
            std::sync::Arc::clone(&self.held),
            job,
        ))))
    }
}

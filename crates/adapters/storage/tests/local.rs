//! `LocalBlobStore` on a fresh temporary directory per test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod behaviours;

use std::path::{Path, PathBuf};

use anyhow::Context;
use sakura_application::StoreError;
use sakura_application::ports::{BlobKey, BlobStore, MediaKind};
use sakura_storage::LocalBlobStore;
use tempfile::TempDir;

/// A store on its own temporary directory, removed when this is dropped.
struct LocalFixture {
    store: LocalBlobStore,
    _dir: TempDir,
}

impl LocalFixture {
    fn store(&self) -> &dyn BlobStore {
        &self.store
    }
}

async fn local_store() -> anyhow::Result<LocalFixture> {
    let dir = TempDir::new()?;
    let store = LocalBlobStore::new(dir.path().join("media")).await?;
    Ok(LocalFixture { store, _dir: dir })
}

mod shared {
    crate::shared_behaviour_tests!(crate::local_store);
}

/// Every file under `dir`, recursively, relative to it.
fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path.strip_prefix(dir)?.to_path_buf());
            }
        }
    }
    files.sort();
    Ok(files)
}

#[tokio::test]
async fn opening_a_store_creates_its_missing_directory() -> anyhow::Result<()> {
    let parent = TempDir::new()?;
    let dir = parent.path().join("data").join("media");

    let store = LocalBlobStore::new(&dir).await?;

    assert!(dir.is_dir());
    assert_eq!(store.dir(), dir);
    Ok(())
}

#[tokio::test]
async fn files_land_under_the_two_digit_fan_out_directory() -> anyhow::Result<()> {
    let fixture = local_store().await?;
    let key = BlobKey::random(MediaKind::WebP);
    let bytes = behaviours::blob(1_234, 1);

    fixture.store.put(&key, bytes.clone()).await?;

    let expected = PathBuf::from(&key.as_str()[..2]).join(key.as_str());
    assert_eq!(files_under(fixture.store.dir())?, vec![expected.clone()]);
    assert_eq!(std::fs::read(fixture.store.dir().join(expected))?, bytes);
    Ok(())
}

#[tokio::test]
async fn no_temp_files_remain_after_puts() -> anyhow::Result<()> {
    let fixture = local_store().await?;
    let keys: Vec<BlobKey> = (0..20).map(|_| BlobKey::random(MediaKind::Png)).collect();

    for (seed, key) in keys.iter().enumerate() {
        fixture
            .store
            .put(key, behaviours::blob(4_096, seed as u64))
            .await?;
    }
    // Overwrites go through a temp file too.
    fixture
        .store
        .put(&keys[0], behaviours::blob(10, 99))
        .await?;

    let mut expected: Vec<PathBuf> = keys
        .iter()
        .map(|key| PathBuf::from(&key.as_str()[..2]).join(key.as_str()))
        .collect();
    expected.sort();
    assert_eq!(files_under(fixture.store.dir())?, expected);
    Ok(())
}

#[tokio::test]
async fn opening_a_store_where_a_file_stands_in_for_the_directory_is_an_error() -> anyhow::Result<()>
{
    let parent = TempDir::new()?;
    let file = parent.path().join("media");
    std::fs::write(&file, b"not a directory")?;

    let opened = LocalBlobStore::new(&file).await;

    let error = opened.err().context("opened a store on a regular file")?;
    assert!(
        format!("{error:#}").contains("media directory"),
        "{error:#}"
    );
    Ok(())
}

// `/proc` is a directory that even root cannot create files in, so this holds whoever runs the
// tests (permission bits would not stop root).
#[cfg(target_os = "linux")]
#[tokio::test]
async fn opening_a_store_on_a_directory_it_cannot_write_to_is_an_error() -> anyhow::Result<()> {
    let opened = LocalBlobStore::new("/proc").await;

    let error = opened.err().context("opened a store on /proc")?;
    assert!(
        format!("{error:#}").contains("write a file in the media directory /proc"),
        "{error:#}"
    );
    Ok(())
}

#[tokio::test]
async fn a_put_that_cannot_write_its_file_is_an_error_not_a_panic() -> anyhow::Result<()> {
    let fixture = local_store().await?;
    let key = BlobKey::random(MediaKind::Gif);
    // A regular file where the key's fan-out directory belongs.
    std::fs::write(fixture.store.dir().join(&key.as_str()[..2]), b"in the way")?;

    let put = fixture.store.put(&key, behaviours::blob(100, 1)).await;

    assert!(matches!(put, Err(StoreError::Other(_))), "{put:?}");
    assert_eq!(fixture.store.get(&key).await.ok().flatten(), None);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_during_a_put_sees_nothing_or_the_whole_blob() -> anyhow::Result<()> {
    let fixture = local_store().await?;
    let store = fixture.store.clone();
    let key = BlobKey::random(MediaKind::Jpeg);
    let bytes = behaviours::blob(8 * 1024 * 1024, 1);

    let writer = tokio::spawn({
        let (store, key, bytes) = (store.clone(), key.clone(), bytes.clone());
        async move { store.put(&key, bytes).await }
    });
    while !writer.is_finished() {
        if let Some(got) = store.get(&key).await? {
            assert_eq!(got.len(), bytes.len(), "a reader saw part of the blob");
        }
    }
    writer.await??;

    assert_eq!(store.get(&key).await?.map(|b| b.len()), Some(bytes.len()));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_during_an_overwrite_sees_the_old_or_the_new_blob_never_a_mix()
-> anyhow::Result<()> {
    let fixture = local_store().await?;
    let store = fixture.store.clone();
    let key = BlobKey::random(MediaKind::Jpeg);
    let old = behaviours::blob(8 * 1024 * 1024, 1);
    let new = behaviours::blob(6 * 1024 * 1024, 2);
    store.put(&key, old.clone()).await?;

    let writer = tokio::spawn({
        let (store, key, new) = (store.clone(), key.clone(), new.clone());
        async move { store.put(&key, new).await }
    });
    while !writer.is_finished() {
        let got = store
            .get(&key)
            .await?
            .context("the blob vanished during the overwrite")?;
        assert!(
            got == old || got == new,
            "read {} bytes of neither blob",
            got.len()
        );
    }
    writer.await??;

    assert_eq!(store.get(&key).await?, Some(new));
    Ok(())
}

#[tokio::test]
async fn listing_skips_temp_files_and_names_that_are_not_keys() -> anyhow::Result<()> {
    let fixture = local_store().await?;
    let key = BlobKey::random(MediaKind::Png);
    fixture.store.put(&key, behaviours::blob(10, 1)).await?;
    let fan_out = fixture.store.dir().join(&key.as_str()[..2]);
    std::fs::write(fan_out.join(format!(".{key}.tmp-1234")), b"half a write")?;
    std::fs::write(fan_out.join("notes.txt"), b"not a blob")?;
    std::fs::write(fixture.store.dir().join("README"), b"not a directory")?;
    let listed = fixture.store.list(None, 100).await?;
    let keys: Vec<&BlobKey> = listed.iter().map(|blob| &blob.key).collect();
    assert_eq!(keys, [&key]);
    Ok(())
}

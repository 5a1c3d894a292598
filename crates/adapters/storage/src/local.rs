//! `LocalBlobStore`: blobs as files in a directory on this machine.

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use async_trait::async_trait;
use sakura_application::StoreError;
use sakura_application::ports::{BlobKey, BlobStore, StoredBlob};
use uuid::Uuid;

/// Blobs as files under one directory, at `<dir>/<first two hex digits>/<key>`.
///
/// The two-digit fan-out keeps any one directory to 1/256 of the files. Writes go to a temp file
/// in the same directory and are renamed into place after an fsync, so a reader sees the whole
/// blob or nothing, and a crash leaves at most a stray `.<key>.tmp-<uuid>` file, never a torn blob.
#[derive(Debug, Clone)]
pub struct LocalBlobStore {
    dir: PathBuf,
}

impl LocalBlobStore {
    /// Opens a store on `dir`, creating it if missing, and fails unless it can write there (so a
    /// bad `MEDIA_DIR` stops the server at start, not at the first upload).
    pub async fn new(dir: impl Into<PathBuf>) -> anyhow::Result<Self> {
        let dir = dir.into();
        tokio::fs::create_dir_all(&dir)
            .await
            .with_context(|| format!("create the media directory {}", dir.display()))?;
        let probe = dir.join(format!(".probe-{}", Uuid::new_v4().simple()));
        tokio::fs::write(&probe, b"")
            .await
            .with_context(|| format!("write a file in the media directory {}", dir.display()))?;
        tokio::fs::remove_file(&probe)
            .await
            .with_context(|| format!("remove a file in the media directory {}", dir.display()))?;
        Ok(Self { dir })
    }

    /// The directory the blobs live in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `<dir>/<first two hex digits>`: built from a parsed key only, so it never leaves `dir`.
    fn fan_out_dir(&self, key: &BlobKey) -> PathBuf {
        let key = key.as_str();
        // A parsed key starts with 64 ASCII hex digits, so this slice is always in bounds.
        self.dir.join(key.get(..2).unwrap_or(key))
    }

    fn path_of(&self, key: &BlobKey) -> PathBuf {
        self.fan_out_dir(key).join(key.as_str())
    }
}

#[async_trait]
impl BlobStore for LocalBlobStore {
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>) -> Result<(), StoreError> {
        let dir = self.fan_out_dir(key);
        let target = AtomicWrite {
            root: self.dir.clone(),
            temp: dir.join(format!(".{key}.tmp-{}", Uuid::new_v4().simple())),
            path: dir.join(key.as_str()),
            dir,
        };
        // One trip to the blocking pool for the whole write-fsync-rename sequence.
        tokio::task::spawn_blocking(move || target.write(&bytes))
            .await
            .context("join the blob writer")?
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, StoreError> {
        match tokio::fs::read(self.path_of(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io_error("read a blob file")(error)),
        }
    }

    async fn delete(&self, key: &BlobKey) -> Result<(), StoreError> {
        match tokio::fs::remove_file(self.path_of(key)).await {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == ErrorKind::NotFound => Ok(()),
            Err(error) => Err(io_error("remove a blob file")(error)),
        }
    }

    async fn list(
        &self,
        after: Option<&BlobKey>,
        limit: usize,
    ) -> Result<Vec<StoredBlob>, StoreError> {
        let dir = self.dir.clone();
        let after = after.cloned();
        tokio::task::spawn_blocking(move || list_blocking(&dir, after.as_ref(), limit))
            .await
            .context("join the blob lister")?
    }
}

/// Walks the fan-out directories in key order, from `after`'s on, reading each whole (1/256 of
/// the files). Temp files of writes in flight (`.<key>.tmp-…`) and anything else that is not a
/// key are skipped.
fn list_blocking(
    dir: &Path,
    after: Option<&BlobKey>,
    limit: usize,
) -> Result<Vec<StoredBlob>, StoreError> {
    let first_dir = after.and_then(|key| key.as_str().get(..2)).unwrap_or("");
    let mut fan_outs: Vec<String> = std::fs::read_dir(dir)
        .map_err(io_error("list the media directory"))?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.len() == 2 && name.as_str() >= first_dir)
        .collect();
    fan_outs.sort();
    let mut found = Vec::new();
    for fan_out in fan_outs {
        let entries = match std::fs::read_dir(dir.join(&fan_out)) {
            Ok(entries) => entries,
            // Gone since it was listed: nothing to sweep there.
            Err(error) if error.kind() == ErrorKind::NotFound => continue,
            Err(error) => return Err(io_error("list a fan-out directory")(error)),
        };
        let mut blobs: Vec<StoredBlob> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let key = BlobKey::parse(entry.file_name().to_str()?)?;
                if after.is_some_and(|after| key.as_str() <= after.as_str()) {
                    return None;
                }
                let modified = entry.metadata().ok()?.modified().ok()?;
                Some(StoredBlob {
                    key,
                    written_at: time::OffsetDateTime::from(modified),
                })
            })
            .collect();
        blobs.sort_by(|a, b| a.key.as_str().cmp(b.key.as_str()));
        found.extend(blobs);
        if found.len() >= limit {
            found.truncate(limit);
            break;
        }
    }
    Ok(found)
}

/// The paths of one atomic write.
struct AtomicWrite {
    root: PathBuf,
    dir: PathBuf,
    temp: PathBuf,
    path: PathBuf,
}

impl AtomicWrite {
    fn write(&self, bytes: &[u8]) -> Result<(), StoreError> {
        if !self.dir.is_dir() {
            std::fs::create_dir_all(&self.dir).map_err(io_error("create a fan-out directory"))?;
            sync_dir(&self.root).map_err(io_error("fsync the media directory"))?;
        }
        let written = self.write_temp_and_rename(bytes);
        if written.is_err() {
            // Best effort: the error below is the one worth reporting.
            let _ = std::fs::remove_file(&self.temp);
        }
        written?;
        // The rename is only durable once the directory entry is.
        sync_dir(&self.dir).map_err(io_error("fsync a fan-out directory"))
    }

    fn write_temp_and_rename(&self, bytes: &[u8]) -> Result<(), StoreError> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.temp)
            .map_err(io_error("create a blob's temp file"))?;
        file.write_all(bytes)
            .map_err(io_error("write a blob's temp file"))?;
        file.sync_all()
            .map_err(io_error("fsync a blob's temp file"))?;
        drop(file);
        std::fs::rename(&self.temp, &self.path).map_err(io_error("rename a blob into place"))
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Maps a file error, naming what was being done. The messages leave the key out: a key works as
/// a capability to read the photo, so it does not belong in logs.
fn io_error(context: &'static str) -> impl FnOnce(io::Error) -> StoreError {
    move |error| {
        // A full or read-only disk, or a vanished network mount, is worth a 503 and a retry
        // later; anything else (permissions, a file where a directory should be) is a bug in the
        // deployment.
        let unavailable = matches!(
            error.kind(),
            ErrorKind::StorageFull
                | ErrorKind::QuotaExceeded
                | ErrorKind::ReadOnlyFilesystem
                | ErrorKind::StaleNetworkFileHandle
                | ErrorKind::TimedOut
        );
        let error = anyhow::Error::new(error).context(context);
        if unavailable {
            StoreError::Unavailable(error)
        } else {
            StoreError::Other(error)
        }
    }
}

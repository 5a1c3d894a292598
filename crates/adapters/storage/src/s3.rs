//! `S3BlobStore`: blobs as objects in an S3-compatible bucket (AWS S3, MinIO, moto, ...).

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{HttpError, HttpErrorKind};
use object_store::path::Path;
use object_store::{BackoffConfig, ClientOptions, ObjectStoreExt, PutPayload, RetryConfig};
use sakura_application::StoreError;
use sakura_application::ports::{BlobKey, BlobStore, StoredBlob};

/// Longest a single request may take, body included. A 10 MiB photo needs 1 MB/s to make it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest to wait for a connection, so an unreachable store fails fast.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries of a failed request (connection errors, timeouts, 5xx), with backoff.
const MAX_RETRIES: usize = 3;
/// No retry starts later than this after the first attempt: bounds a call to ~25 s.
const RETRY_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the bucket is and how to sign requests to it.
#[derive(Clone)]
pub struct S3Config {
    /// The S3-compatible server, e.g. `http://127.0.0.1:9000`; `None` for AWS S3 itself. When set,
    /// requests are path-style (`<endpoint>/<bucket>/<key>`), which MinIO and moto expect.
    pub endpoint: Option<String>,
    /// The bucket; it must exist.
    pub bucket: String,
    /// The bucket's region, e.g. `eu-west-1` (S3-compatible servers usually take `us-east-1`).
    pub region: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key; never printed, not even by `Debug`.
    pub secret_access_key: String,
    /// Allows `http://` endpoints (a local MinIO or moto); keep it off for anything remote.
    pub allow_http: bool,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// Blobs as objects named by their key in one S3 bucket, shared by every server instance.
///
/// A single `PUT` replaces an object atomically, so readers see the old bytes, the new ones, or
/// nothing, never a part.
pub struct S3BlobStore {
    store: AmazonS3,
    bucket: String,
    endpoint: Option<String>,
}

impl fmt::Debug for S3BlobStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3BlobStore")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl S3BlobStore {
    /// A store on `config`'s bucket. It does not connect: an unreachable server shows up as
    /// `StoreError::Unavailable` on the first call.
    pub fn new(config: S3Config) -> anyhow::Result<Self> {
        let client_options = ClientOptions::new()
            .with_timeout(REQUEST_TIMEOUT)
            .with_connect_timeout(CONNECT_TIMEOUT)
            .with_allow_http(config.allow_http);
        let retry = RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: MAX_RETRIES,
            retry_timeout: RETRY_TIMEOUT,
        };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(&config.secret_access_key)
            .with_client_options(client_options)
            .with_retry(retry);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        let store = builder
            .build()
            .with_context(|| format!("configure the S3 bucket {:?}", config.bucket))?;
        Ok(Self {
            store,
            bucket: config.bucket,
            endpoint: config.endpoint,
        })
    }
}

/// The object name of `key`: the key itself (hex and an extension, nothing to escape).
fn path_of(key: &BlobKey) -> Path {
    Path::from(key.as_str())
}

#[async_trait]
impl BlobStore for S3BlobStore {
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.store
            .put(&path_of(key), PutPayload::from(bytes))
            .await
            .map_err(s3_error("put an object"))?;
        Ok(())
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, StoreError> {
        let found = match self.store.get(&path_of(key)).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(error) => return Err(s3_error("get an object")(error)),
        };
        let bytes = found
            .bytes()
            .await
            .map_err(s3_error("read an object's body"))?;
        Ok(Some(bytes.into()))
    }

    async fn delete(&self, key: &BlobKey) -> Result<(), StoreError> {
        match self.store.delete(&path_of(key)).await {
            // S3 answers 204 for a missing key too; other servers may say 404.
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(s3_error("delete an object")(error)),
        }
    }

    async fn list(
        &self,
        after: Option<&BlobKey>,
        limit: usize,
    ) -> Result<Vec<StoredBlob>, StoreError> {
        use futures_util::StreamExt;
        use object_store::ObjectStore;
        // Keys sort as object names do (ASCII hex, then the extension), so the listing's own
        // order and offset page through them.
        let mut listing = match after {
            Some(after) => self.store.list_with_offset(None, &path_of(after)),
            None => self.store.list(None),
        };
        let mut found = Vec::new();
        while found.len() < limit {
            let Some(object) = listing.next().await else {
                break;
            };
            let object = object.map_err(s3_error("list objects"))?;
            let Some(key) = BlobKey::parse(object.location.as_ref()) else {
                continue;
            };
            let nanos = i128::from(object.last_modified.timestamp()) * 1_000_000_000
                + i128::from(object.last_modified.timestamp_subsec_nanos());
            let written_at =
                time::OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|e| {
                    StoreError::Other(anyhow::Error::new(e).context("an object's date"))
                })?;
            found.push(StoredBlob { key, written_at });
        }
        Ok(found)
    }
}

/// Maps an `object_store` error, naming what was being done: `Unavailable` when the request
/// never got an answer (connect, send, timeout, cut off), `Other` for everything the server
/// answered with (access denied, no such bucket, ...).
fn s3_error(context: &'static str) -> impl FnOnce(object_store::Error) -> StoreError {
    move |error| {
        let unavailable = connection_level(&error);
        let error = anyhow::Error::new(error).context(context);
        if unavailable {
            StoreError::Unavailable(error)
        } else {
            StoreError::Other(error)
        }
    }
}

fn connection_level(error: &object_store::Error) -> bool {
    // The transport error sits a few levels down the chain (Generic -> retry -> HttpError).
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(http) = cause.downcast_ref::<HttpError>() {
            return matches!(
                http.kind(),
                HttpErrorKind::Connect
                    | HttpErrorKind::Request
                    | HttpErrorKind::Timeout
                    | HttpErrorKind::Interrupted
            );
        }
        source = cause.source();
    }
    false
}

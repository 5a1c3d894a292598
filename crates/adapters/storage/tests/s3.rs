//! `S3BlobStore` against a real S3-compatible server: moto, one server and bucket per test.
//! Without moto these tests fail and say `pip install 'moto[server]'`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod behaviours;
mod moto;

use std::time::Duration;

use anyhow::Context;
use moto::Moto;
use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use sakura_application::StoreError;
use sakura_application::ports::{BlobKey, BlobStore, MediaKind};
use sakura_storage::{S3BlobStore, S3Config};

/// A store on its own moto server and bucket; the server stops when this is dropped.
struct S3Fixture {
    store: S3BlobStore,
    moto: Moto,
}

impl S3Fixture {
    fn store(&self) -> &dyn BlobStore {
        &self.store
    }
}

async fn s3_store() -> anyhow::Result<S3Fixture> {
    let moto = Moto::start().await?;
    let store = S3BlobStore::new(moto.config())?;
    Ok(S3Fixture { store, moto })
}

mod shared {
    crate::shared_behaviour_tests!(crate::s3_store);
}

#[tokio::test]
async fn blobs_are_objects_named_by_their_key() -> anyhow::Result<()> {
    let fixture = s3_store().await?;
    let key = BlobKey::random(MediaKind::Png);
    let bytes = behaviours::blob(2_000, 1);

    fixture.store().put(&key, bytes.clone()).await?;

    // List the bucket with a client of its own: one object, named by the bare key.
    let moto = &fixture.moto;
    let config = moto.config();
    let bucket = AmazonS3Builder::new()
        .with_endpoint(&moto.endpoint)
        .with_allow_http(true)
        .with_bucket_name(&config.bucket)
        .with_region(&config.region)
        .with_access_key_id(&config.access_key_id)
        .with_secret_access_key(&config.secret_access_key)
        .build()?;
    let listed = bucket.list_with_delimiter(None).await?;
    let names: Vec<&str> = listed.objects.iter().map(|o| o.location.as_ref()).collect();
    assert_eq!(names, [key.as_str()]);
    assert_eq!(listed.objects[0].size, bytes.len() as u64);
    Ok(())
}

#[tokio::test]
async fn a_store_on_a_closed_port_is_unavailable_within_the_timeout() -> anyhow::Result<()> {
    let port = moto::free_port()?;
    let store = S3BlobStore::new(S3Config {
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        bucket: "sakura-nowhere".to_owned(),
        region: "us-east-1".to_owned(),
        access_key_id: "sakura-test".to_owned(),
        secret_access_key: "sakura-test-secret".to_owned(),
        allow_http: true,
    })?;
    let key = BlobKey::random(MediaKind::Jpeg);

    let put = within_30_s(store.put(&key, vec![1, 2, 3])).await?;
    let get = within_30_s(store.get(&key)).await?.map(|_| ());
    let delete = within_30_s(store.delete(&key)).await?;

    for (call, result) in [("put", put), ("get", get), ("delete", delete)] {
        assert!(
            matches!(result, Err(StoreError::Unavailable(_))),
            "{call} on a closed port: {result:?}"
        );
    }
    Ok(())
}

async fn within_30_s<T>(call: impl Future<Output = T>) -> anyhow::Result<T> {
    tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .context("no answer within 30 s")
}

#[test]
fn the_config_debug_output_hides_the_secret() {
    let config = S3Config {
        endpoint: None,
        bucket: "photos".to_owned(),
        region: "eu-west-1".to_owned(),
        access_key_id: "AKIAEXAMPLE".to_owned(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
        allow_http: false,
    };

    let printed = format!("{config:?}");

    assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
    assert!(
        printed.contains("photos") && printed.contains("<redacted>"),
        "{printed}"
    );
}

//! What every `BlobStore` must do, written once against `&dyn BlobStore` and run against each
//! adapter by [`shared_behaviour_tests!`].

use anyhow::ensure;
use sakura_application::ports::{BlobKey, BlobStore, MediaKind};

/// One test per behaviour below, each on a fresh store from `$fixture().await?`, a value with a
/// `store(&self) -> &dyn BlobStore` method (it also keeps the store's directory or server alive).
#[macro_export]
macro_rules! shared_behaviour_tests {
    ($fixture:path) => {
        $crate::shared_behaviour_tests!(
            $fixture;
            put_then_get_returns_the_same_bytes,
            getting_a_missing_key_returns_none,
            a_deleted_blob_is_gone,
            deleting_twice_is_fine,
            putting_a_key_again_replaces_its_bytes,
            a_large_blob_round_trips,
            two_keys_do_not_interfere,
            listing_pages_through_every_key_in_order_with_its_time,
        );
    };
    ($fixture:path; $($behaviour:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $behaviour() -> anyhow::Result<()> {
                let fixture = $fixture().await?;
                $crate::behaviours::$behaviour(fixture.store()).await
            }
        )+
    };
}

/// `len` bytes that differ from one `seed` to another and are not all the same byte, so a
/// truncated, shifted or mixed-up blob never compares equal by accident.
pub fn blob(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            // xorshift64: cheap, deterministic, good enough to tell blobs apart.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

fn key() -> BlobKey {
    BlobKey::random(MediaKind::Jpeg)
}

pub async fn put_then_get_returns_the_same_bytes(store: &dyn BlobStore) -> anyhow::Result<()> {
    let key = key();
    let bytes = blob(10_000, 1);

    store.put(&key, bytes.clone()).await?;

    ensure!(
        store.get(&key).await?.as_deref() == Some(&bytes[..]),
        "read back other bytes"
    );
    Ok(())
}

pub async fn getting_a_missing_key_returns_none(store: &dyn BlobStore) -> anyhow::Result<()> {
    let got = store.get(&key()).await?;

    ensure!(
        got.is_none(),
        "a key never put has {} bytes",
        got.map_or(0, |b| b.len())
    );
    Ok(())
}

pub async fn a_deleted_blob_is_gone(store: &dyn BlobStore) -> anyhow::Result<()> {
    let key = key();
    store.put(&key, blob(1_000, 2)).await?;

    store.delete(&key).await?;

    ensure!(
        store.get(&key).await?.is_none(),
        "the blob is still there after delete"
    );
    Ok(())
}

pub async fn deleting_twice_is_fine(store: &dyn BlobStore) -> anyhow::Result<()> {
    let key = key();
    store.put(&key, blob(1_000, 3)).await?;

    store.delete(&key).await?;
    store.delete(&key).await?;
    // And a key that never existed.
    store.delete(&self::key()).await?;

    ensure!(store.get(&key).await?.is_none(), "the blob came back");
    Ok(())
}

pub async fn putting_a_key_again_replaces_its_bytes(store: &dyn BlobStore) -> anyhow::Result<()> {
    let key = key();
    let old = blob(20_000, 4);
    let new = blob(5_000, 5);
    store.put(&key, old).await?;

    store.put(&key, new.clone()).await?;

    ensure!(
        store.get(&key).await?.as_deref() == Some(&new[..]),
        "still the old bytes"
    );
    Ok(())
}

pub async fn a_large_blob_round_trips(store: &dyn BlobStore) -> anyhow::Result<()> {
    let key = key();
    let bytes = blob(5 * 1024 * 1024 + 7, 6);

    store.put(&key, bytes.clone()).await?;
    let got = store.get(&key).await?;

    let got = got.ok_or_else(|| anyhow::anyhow!("the large blob is missing"))?;
    ensure!(
        got.len() == bytes.len(),
        "read back {} of {} bytes",
        got.len(),
        bytes.len()
    );
    ensure!(got == bytes, "read back other bytes");
    Ok(())
}

pub async fn two_keys_do_not_interfere(store: &dyn BlobStore) -> anyhow::Result<()> {
    let (first, second) = (key(), BlobKey::random(MediaKind::Png));
    let (first_bytes, second_bytes) = (blob(3_000, 7), blob(4_000, 8));
    store.put(&first, first_bytes.clone()).await?;
    store.put(&second, second_bytes.clone()).await?;

    store.delete(&first).await?;

    ensure!(
        store.get(&first).await?.is_none(),
        "the deleted key is still there"
    );
    ensure!(
        store.get(&second).await?.as_deref() == Some(&second_bytes[..]),
        "deleting one key changed the other"
    );
    store.put(&first, first_bytes.clone()).await?;
    ensure!(
        store.get(&first).await?.as_deref() == Some(&first_bytes[..]),
        "the first key did not come back"
    );
    ensure!(
        store.get(&second).await?.as_deref() == Some(&second_bytes[..]),
        "putting one key changed the other"
    );
    Ok(())
}

/// `list` pages through every key once, in key order, each with when it was written (the
/// sweep of orphan files depends on it).
pub async fn listing_pages_through_every_key_in_order_with_its_time(
    store: &dyn BlobStore,
) -> anyhow::Result<()> {
    let before = time::OffsetDateTime::now_utc() - time::Duration::minutes(5);
    let mut keys: Vec<BlobKey> = (0..7).map(|_| BlobKey::random(MediaKind::Png)).collect();
    for (seed, key) in keys.iter().enumerate() {
        store.put(key, blob(10, seed as u64)).await?;
    }
    keys.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    let mut listed = Vec::new();
    let mut after: Option<BlobKey> = None;
    loop {
        let page = store.list(after.as_ref(), 3).await?;
        ensure!(page.len() <= 3, "a page of {} for a limit of 3", page.len());
        let Some(last) = page.last() else { break };
        after = Some(last.key.clone());
        for blob in page {
            ensure!(
                blob.written_at > before,
                "{} written at {}",
                blob.key,
                blob.written_at
            );
            listed.push(blob.key);
        }
    }
    ensure!(listed == keys, "listed {listed:?}, stored {keys:?}");
    store.delete(&keys[0]).await?;
    ensure!(
        store.list(None, 100).await?.len() == 6,
        "a deleted key is listed"
    );
    Ok(())
}

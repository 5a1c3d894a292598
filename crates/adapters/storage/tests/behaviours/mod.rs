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

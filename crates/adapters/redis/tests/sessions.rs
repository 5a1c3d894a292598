//! `RedisSessionStore` against the real Redis: each test works under a key prefix of its own.

use std::time::Duration;

use anyhow::Context;
use deadpool_redis::redis;
use sakura_application::StoreError;
use sakura_application::ports::{RefreshTokenHash, RotateOutcome, SessionStore, TokenStatus};
use sakura_domain::auth::Session;
use sakura_domain::{SessionId, UserId};
use sakura_redis::{RedisConfig, RedisSessionStore};
use sakura_test_services::TestRedis;
use time::OffsetDateTime;

const THIRTY_DAYS: time::Duration = time::Duration::days(30);

fn store(redis: &TestRedis) -> RedisSessionStore {
    RedisSessionStore::new(redis.pool(), redis.prefix())
}

fn hash(token: &str) -> RefreshTokenHash {
    RefreshTokenHash(format!("sha256:{token}"))
}

fn session_expiring_at(user_id: UserId, expires_at: OffsetDateTime) -> Session {
    let now = sakura_domain::clock::now();
    Session {
        id: SessionId::new(),
        user_id,
        created_at: now,
        last_used_at: now,
        expires_at,
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0".to_owned()),
    }
}

fn session_of(user_id: UserId) -> Session {
    session_expiring_at(user_id, sakura_domain::clock::now() + THIRTY_DAYS)
}

/// Creates a session of `user_id` holding the hash of `token`.
async fn created(
    store: &RedisSessionStore,
    user_id: UserId,
    token: &str,
) -> anyhow::Result<Session> {
    let session = session_of(user_id);
    store.create(&session, &hash(token)).await?;
    Ok(session)
}

fn sorted(mut ids: Vec<SessionId>) -> Vec<SessionId> {
    ids.sort();
    ids
}

#[tokio::test]
async fn a_created_session_exists_and_lists_with_its_fields() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let mut session = session_of(user_id);
    session.created_at -= time::Duration::minutes(5);

    store.create(&session, &hash("a")).await?;

    assert!(store.exists(user_id, session.id).await?);
    let listed = store.list(user_id).await?;
    assert_eq!(listed, vec![session.clone()]);
    assert_eq!(listed[0].created_at, session.created_at);
    assert_eq!(listed[0].last_used_at, session.last_used_at);
    assert_eq!(listed[0].expires_at, session.expires_at);
    Ok(())
}

#[tokio::test]
async fn a_session_without_a_user_agent_lists_none() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = Session {
        user_agent: None,
        ..session_of(user_id)
    };

    store.create(&session, &hash("a")).await?;

    assert_eq!(store.list(user_id).await?, vec![session]);
    Ok(())
}

#[tokio::test]
async fn every_key_of_a_session_starts_with_the_prefix() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = created(&store, user_id, "a").await?;
    store
        .rotate(
            user_id,
            session.id,
            &hash("a"),
            &hash("b"),
            session.created_at,
            session.expires_at,
        )
        .await?;

    let ours = redis.keys().await;
    let mut conn = redis.pool().get().await?;
    let anywhere: Vec<String> = redis::cmd("KEYS")
        .arg(format!("*{user_id}*"))
        .query_async(&mut conn)
        .await?;

    assert!(!ours.is_empty(), "the session left no key under the prefix");
    assert!(!anywhere.is_empty());
    for key in &anywhere {
        assert!(
            key.starts_with(redis.prefix()),
            "{key} is outside the prefix {}",
            redis.prefix()
        );
    }
    Ok(())
}

#[tokio::test]
async fn sessions_are_listed_oldest_first() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let newer = session_of(user_id);
    let older = Session {
        created_at: newer.created_at - time::Duration::hours(1),
        ..session_of(user_id)
    };

    store.create(&newer, &hash("new")).await?;
    store.create(&older, &hash("old")).await?;

    let ids: Vec<SessionId> = store
        .list(user_id)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, vec![older.id, newer.id]);
    Ok(())
}

#[tokio::test]
async fn rotating_the_current_token_makes_the_next_one_current() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = created(&store, user_id, "first").await?;
    let now = session.created_at + time::Duration::hours(2);
    let expires_at = now + THIRTY_DAYS;

    let outcome = store
        .rotate(
            user_id,
            session.id,
            &hash("first"),
            &hash("second"),
            now,
            expires_at,
        )
        .await?;

    let expected = Session {
        last_used_at: now,
        expires_at,
        ..session.clone()
    };
    assert_eq!(outcome, RotateOutcome::Rotated(expected.clone()));
    assert_eq!(
        store
            .token_status(user_id, session.id, &hash("second"))
            .await?,
        TokenStatus::Current
    );
    assert_eq!(
        store
            .token_status(user_id, session.id, &hash("first"))
            .await?,
        TokenStatus::RotatedOut
    );
    assert_eq!(store.list(user_id).await?, vec![expected]);
    Ok(())
}

#[tokio::test]
async fn a_replayed_rotated_out_token_revokes_the_session() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = created(&store, user_id, "first").await?;
    let (now, expires_at) = (session.created_at, session.expires_at);
    store
        .rotate(
            user_id,
            session.id,
            &hash("first"),
            &hash("second"),
            now,
            expires_at,
        )
        .await?;

    let outcome = store
        .rotate(
            user_id,
            session.id,
            &hash("first"),
            &hash("third"),
            now,
            expires_at,
        )
        .await?;

    assert_eq!(outcome, RotateOutcome::Reused);
    assert!(!store.exists(user_id, session.id).await?);
    assert!(store.list(user_id).await?.is_empty());
    assert_eq!(
        store
            .token_status(user_id, session.id, &hash("second"))
            .await?,
        TokenStatus::Unknown
    );
    Ok(())
}

#[tokio::test]
async fn rotating_with_a_token_never_issued_is_unknown_and_changes_nothing() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = created(&store, user_id, "first").await?;
    let later = session.created_at + time::Duration::hours(1);

    let outcome = store
        .rotate(
            user_id,
            session.id,
            &hash("forged"),
            &hash("next"),
            later,
            later + THIRTY_DAYS,
        )
        .await?;

    assert_eq!(outcome, RotateOutcome::Unknown);
    assert_eq!(
        store
            .token_status(user_id, session.id, &hash("first"))
            .await?,
        TokenStatus::Current
    );
    assert_eq!(
        store
            .token_status(user_id, session.id, &hash("forged"))
            .await?,
        TokenStatus::Unknown
    );
    assert_eq!(
        store
            .token_status(user_id, session.id, &hash("next"))
            .await?,
        TokenStatus::Unknown
    );
    assert_eq!(store.list(user_id).await?, vec![session]);
    Ok(())
}

#[tokio::test]
async fn rotating_a_missing_session_is_unknown() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let now = sakura_domain::clock::now();

    let outcome = store
        .rotate(
            user_id,
            SessionId::new(),
            &hash("a"),
            &hash("b"),
            now,
            now + THIRTY_DAYS,
        )
        .await?;

    assert_eq!(outcome, RotateOutcome::Unknown);
    assert!(
        redis.keys().await.is_empty(),
        "rotating nothing created {:?}",
        redis.keys().await
    );
    Ok(())
}

#[tokio::test]
async fn revoking_a_session_answers_true_then_false() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = created(&store, user_id, "a").await?;

    let first = store.revoke(user_id, session.id).await?;
    let second = store.revoke(user_id, session.id).await?;

    assert!(first);
    assert!(!second);
    assert!(!store.exists(user_id, session.id).await?);
    assert!(store.list(user_id).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn revoking_a_rotated_session_leaves_none_of_its_keys() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = created(&store, user_id, "a").await?;
    let (now, expires_at) = (session.created_at, session.expires_at);
    store
        .rotate(user_id, session.id, &hash("a"), &hash("b"), now, expires_at)
        .await?;

    store.revoke(user_id, session.id).await?;

    assert_eq!(redis.keys().await, Vec::<String>::new());
    Ok(())
}

#[tokio::test]
async fn revoking_all_but_one_keeps_only_that_one() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let first = created(&store, user_id, "a").await?;
    let kept = created(&store, user_id, "b").await?;
    let third = created(&store, user_id, "c").await?;

    let revoked = store.revoke_all(user_id, Some(kept.id)).await?;

    assert_eq!(sorted(revoked), sorted(vec![first.id, third.id]));
    assert_eq!(store.list(user_id).await?, vec![kept.clone()]);
    assert!(store.exists(user_id, kept.id).await?);
    assert!(!store.exists(user_id, first.id).await?);
    assert!(!store.exists(user_id, third.id).await?);
    Ok(())
}

#[tokio::test]
async fn revoking_all_without_keeping_one_revokes_every_session() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let first = created(&store, user_id, "a").await?;
    let second = created(&store, user_id, "b").await?;

    let revoked = store.revoke_all(user_id, None).await?;

    assert_eq!(sorted(revoked), sorted(vec![first.id, second.id]));
    assert!(store.list(user_id).await?.is_empty());
    assert!(store.revoke_all(user_id, None).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn sessions_of_one_user_never_appear_for_another() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let (aiko, kenji) = (UserId::new(), UserId::new());
    let aikos = created(&store, aiko, "a").await?;
    let kenjis = created(&store, kenji, "k").await?;

    let listed = store.list(kenji).await?;
    let exists = store.exists(kenji, aikos.id).await?;
    let status = store.token_status(kenji, aikos.id, &hash("a")).await?;
    let now = sakura_domain::clock::now();
    let rotated = store
        .rotate(
            kenji,
            aikos.id,
            &hash("a"),
            &hash("x"),
            now,
            now + THIRTY_DAYS,
        )
        .await?;
    let revoked = store.revoke(kenji, aikos.id).await?;
    let revoked_all = store.revoke_all(kenji, Some(kenjis.id)).await?;

    assert_eq!(listed, vec![kenjis]);
    assert!(!exists);
    assert_eq!(status, TokenStatus::Unknown);
    assert_eq!(rotated, RotateOutcome::Unknown);
    assert!(!revoked);
    assert!(revoked_all.is_empty());
    assert_eq!(store.list(aiko).await?, vec![aikos.clone()]);
    assert_eq!(
        store.token_status(aiko, aikos.id, &hash("a")).await?,
        TokenStatus::Current
    );
    Ok(())
}

#[tokio::test]
async fn a_session_disappears_once_its_expiry_passes() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let expires_at = sakura_domain::clock::now() + time::Duration::milliseconds(1500);
    let session = session_expiring_at(user_id, expires_at);
    store.create(&session, &hash("a")).await?;
    assert!(store.exists(user_id, session.id).await?);

    tokio::time::sleep(Duration::from_millis(2000)).await;

    assert!(!store.exists(user_id, session.id).await?);
    assert!(store.list(user_id).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_rotated_session_outlives_its_first_expiry_and_still_lists() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let soon = sakura_domain::clock::now() + time::Duration::milliseconds(1500);
    let session = session_expiring_at(user_id, soon);
    store.create(&session, &hash("a")).await?;
    let now = sakura_domain::clock::now();
    let outcome = store
        .rotate(
            user_id,
            session.id,
            &hash("a"),
            &hash("b"),
            now,
            now + THIRTY_DAYS,
        )
        .await?;
    anyhow::ensure!(
        matches!(outcome, RotateOutcome::Rotated(_)),
        "rotation failed: {outcome:?}"
    );

    tokio::time::sleep(Duration::from_millis(2000)).await;

    assert!(store.exists(user_id, session.id).await?);
    let ids: Vec<SessionId> = store
        .list(user_id)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, vec![session.id]);
    Ok(())
}

#[tokio::test]
async fn nothing_of_a_user_is_left_once_every_session_is_revoked() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let first = created(&store, user_id, "a").await?;
    let second = created(&store, user_id, "b").await?;
    let third = created(&store, user_id, "c").await?;
    let now = sakura_domain::clock::now();
    store
        .rotate(
            user_id,
            first.id,
            &hash("a"),
            &hash("a2"),
            now,
            now + THIRTY_DAYS,
        )
        .await?;
    store
        .rotate(
            user_id,
            second.id,
            &hash("b"),
            &hash("b2"),
            now,
            now + THIRTY_DAYS,
        )
        .await?;
    anyhow::ensure!(
        !redis.keys().await.is_empty(),
        "the sessions left no keys to clean up"
    );

    store.revoke(user_id, first.id).await?;
    store.revoke_all(user_id, None).await?;

    let user = user_id.to_string();
    let left: Vec<String> = redis
        .keys()
        .await
        .into_iter()
        .filter(|k| k.contains(&user))
        .collect();
    let mut conn = redis.pool().get().await?;
    for key in &left {
        anyhow::ensure!(key.starts_with("user_sessions:"), "{key} was left behind");
        let members: u64 = redis::cmd("SCARD")
            .arg(format!("{}{key}", redis.prefix()))
            .query_async(&mut conn)
            .await?;
        assert_eq!(members, 0, "{key} still lists sessions");
    }
    assert!(!store.exists(user_id, third.id).await?);
    Ok(())
}

#[tokio::test]
async fn a_store_on_a_closed_port_is_unavailable() -> anyhow::Result<()> {
    let pool = sakura_redis::connect(&RedisConfig {
        url: "redis://127.0.0.1:1".to_owned(),
        ca_cert: None,
        key_prefix: "test:closed:".to_owned(),
        pool_size: 2,
    })?;
    let store = RedisSessionStore::new(pool, "test:closed:");
    let user_id = UserId::new();
    let session = session_of(user_id);

    let (created, listed) = tokio::time::timeout(Duration::from_secs(10), async {
        (
            store.create(&session, &hash("a")).await,
            store.list(user_id).await,
        )
    })
    .await
    .context("the store hung instead of failing")?;

    assert!(
        matches!(created, Err(StoreError::Unavailable(_))),
        "create: {created:?}"
    );
    assert!(
        matches!(listed, Err(StoreError::Unavailable(_))),
        "list: {listed:?}"
    );
    Ok(())
}

#[tokio::test]
async fn two_concurrent_rotations_of_one_token_rotate_only_once() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let store = store(&redis);
    let user_id = UserId::new();
    let session = created(&store, user_id, "first").await?;
    let (now, expires_at) = (session.created_at, session.expires_at);

    let (current, a, b) = (hash("first"), hash("a"), hash("b"));

    let (one, other) = tokio::join!(
        store.rotate(user_id, session.id, &current, &a, now, expires_at),
        store.rotate(user_id, session.id, &current, &b, now, expires_at),
    );

    let outcomes = [one?, other?];
    let rotated = outcomes
        .iter()
        .filter(|o| matches!(o, RotateOutcome::Rotated(_)))
        .count();
    assert_eq!(rotated, 1, "outcomes: {outcomes:?}");
    assert!(
        outcomes.contains(&RotateOutcome::Reused),
        "outcomes: {outcomes:?}"
    );
    Ok(())
}

//! `RedisFailureLimiter` and `RedisProbe` against the real Redis (and against no Redis at all).

use std::time::Duration;

use anyhow::Context;
use sakura_application::StoreError;
use sakura_application::ports::{DependencyProbe, FailureLimiter, LimitRule};
use sakura_redis::{RedisConfig, RedisFailureLimiter, RedisPool, RedisProbe};
use sakura_test_services::TestRedis;

fn limiter(redis: &TestRedis) -> RedisFailureLimiter {
    RedisFailureLimiter::new(redis.pool(), redis.prefix())
}

fn rule(key: &str, limit: u32, window: Duration) -> LimitRule {
    LimitRule {
        key: key.to_owned(),
        limit,
        window,
    }
}

async fn fail_times(
    limiter: &RedisFailureLimiter,
    rules: &[LimitRule],
    times: u32,
) -> anyhow::Result<()> {
    for _ in 0..times {
        limiter.record_failure(rules).await?;
    }
    Ok(())
}

/// A pool on a port where nothing listens.
fn unreachable_pool() -> anyhow::Result<RedisPool> {
    sakura_redis::connect(&RedisConfig {
        url: "redis://127.0.0.1:1".to_owned(),
        ca_cert: None,
        key_prefix: "test:closed:".to_owned(),
        pool_size: 2,
    })
}

#[tokio::test]
async fn below_the_limit_there_is_no_wait() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);
    let login = rule("login:email:abc", 3, Duration::from_secs(60));
    fail_times(&limiter, std::slice::from_ref(&login), 2).await?;

    let wait = limiter.retry_after(&[login]).await?;

    assert_eq!(wait, None);
    Ok(())
}

#[tokio::test]
async fn a_key_never_failed_has_no_wait() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);

    let wait = limiter
        .retry_after(&[rule("login:ip:127.0.0.1", 1, Duration::from_secs(60))])
        .await?;

    assert_eq!(wait, None);
    Ok(())
}

#[tokio::test]
async fn at_the_limit_the_wait_is_at_most_the_window() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);
    let window = Duration::from_secs(60);
    let login = rule("login:email:abc", 3, window);
    fail_times(&limiter, std::slice::from_ref(&login), 3).await?;

    let wait = limiter.retry_after(&[login]).await?;

    let wait = wait.context("three failures reach a limit of three")?;
    assert!(wait > Duration::ZERO && wait <= window, "waits {wait:?}");
    Ok(())
}

#[tokio::test]
async fn the_longest_wait_of_several_rules_wins() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);
    let short = rule("login:email:abc", 1, Duration::from_secs(10));
    let long = rule("login:ip:127.0.0.1", 1, Duration::from_secs(600));
    let rules = [short, long];
    limiter.record_failure(&rules).await?;

    let wait = limiter.retry_after(&rules).await?;

    let wait = wait.context("both rules are at their limit")?;
    assert!(
        wait > Duration::from_secs(10) && wait <= Duration::from_secs(600),
        "waits {wait:?}"
    );
    Ok(())
}

#[tokio::test]
async fn failures_are_counted_per_key() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);
    let window = Duration::from_secs(60);
    let aiko = rule("login:email:aiko", 2, window);
    let kenji = rule("login:email:kenji", 2, window);
    fail_times(&limiter, std::slice::from_ref(&aiko), 2).await?;

    let aiko_wait = limiter.retry_after(&[aiko]).await?;
    let kenji_wait = limiter.retry_after(std::slice::from_ref(&kenji)).await?;

    assert!(aiko_wait.is_some());
    assert_eq!(kenji_wait, None);
    limiter.record_failure(std::slice::from_ref(&kenji)).await?;
    assert_eq!(
        limiter.retry_after(&[kenji]).await?,
        None,
        "kenji has failed only once"
    );
    Ok(())
}

#[tokio::test]
async fn clearing_a_key_forgets_only_its_failures() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);
    let window = Duration::from_secs(60);
    let aiko = rule("login:email:aiko", 1, window);
    let kenji = rule("login:email:kenji", 1, window);
    limiter
        .record_failure(&[aiko.clone(), kenji.clone()])
        .await?;

    limiter.clear(&aiko).await?;

    assert_eq!(limiter.retry_after(&[aiko]).await?, None);
    assert!(limiter.retry_after(&[kenji]).await?.is_some());
    Ok(())
}

#[tokio::test]
async fn the_window_expires() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);
    let login = rule("login:email:abc", 2, Duration::from_secs(1));
    fail_times(&limiter, std::slice::from_ref(&login), 2).await?;
    anyhow::ensure!(
        limiter
            .retry_after(std::slice::from_ref(&login))
            .await?
            .is_some(),
        "not limited"
    );

    tokio::time::sleep(Duration::from_millis(1200)).await;

    assert_eq!(limiter.retry_after(&[login]).await?, None);
    Ok(())
}

#[tokio::test]
async fn counters_live_under_the_prefix() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);

    limiter
        .record_failure(&[rule("login:email:abc", 5, Duration::from_secs(60))])
        .await?;

    assert_eq!(
        redis.keys().await,
        vec!["ratelimit:login:email:abc".to_owned()]
    );
    Ok(())
}

#[tokio::test]
async fn the_probe_answers_ok_when_redis_is_up() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let probe = RedisProbe::new(redis.pool());

    let result = probe.check().await;

    assert!(result.is_ok(), "got {result:?}");
    assert_eq!(probe.name(), "redis");
    Ok(())
}

#[tokio::test]
async fn the_probe_reports_a_closed_port_as_unavailable() -> anyhow::Result<()> {
    let probe = RedisProbe::new(unreachable_pool()?);

    let result = tokio::time::timeout(Duration::from_secs(10), probe.check())
        .await
        .context("the probe hung instead of failing")?;

    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "got {result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_limiter_on_a_closed_port_is_unavailable() -> anyhow::Result<()> {
    let limiter = RedisFailureLimiter::new(unreachable_pool()?, "test:closed:");
    let login = rule("login:email:abc", 3, Duration::from_secs(60));

    let (read, counted, cleared) = tokio::time::timeout(Duration::from_secs(10), async {
        (
            limiter.retry_after(std::slice::from_ref(&login)).await,
            limiter.record_failure(std::slice::from_ref(&login)).await,
            limiter.clear(&login).await,
        )
    })
    .await
    .context("the limiter hung instead of failing")?;

    assert!(
        matches!(read, Err(StoreError::Unavailable(_))),
        "retry_after: {read:?}"
    );
    assert!(
        matches!(counted, Err(StoreError::Unavailable(_))),
        "record_failure: {counted:?}"
    );
    assert!(
        matches!(cleared, Err(StoreError::Unavailable(_))),
        "clear: {cleared:?}"
    );
    Ok(())
}

#[tokio::test]

async fn no_rules_means_no_wait_and_nothing_counted() -> anyhow::Result<()> {
    let redis = TestRedis::new().await;
    let limiter = limiter(&redis);

    limiter.record_failure(&[]).await?;
    let wait = limiter.retry_after(&[]).await?;

    assert_eq!(wait, None);
    assert!(redis.keys().await.is_empty());
    Ok(())
}

//! The transactional outbox against a real PostgreSQL: events commit and roll back with their
//! change, claims are leases that concurrent relays skip, and delivered events are cleared.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use sakura_application::events::{DomainEvent, EventEnvelope};
use sakura_application::friends::decide;
use sakura_application::ports::{
    GraphError, NewUser, Outbox, PairFacts, PasswordHash, SettingsPatch, SocialGraph,
    UserRepository,
};
use sakura_domain::clock::now;
use sakura_domain::friends::{FriendAction, FriendshipError, Relation};
use sakura_domain::users::{Email, PersonName, Settings, Theme, User};
use sakura_domain::{SessionId, UserId};
use sakura_postgres::{PgOutbox, PgPool, PgSocialGraph, PgUserRepository, connect, run_migrations};
use sakura_test_services::TestDatabase;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

struct World {
    _db: TestDatabase,
    pool: PgPool,
    users: PgUserRepository,
    graph: PgSocialGraph,
    outbox: PgOutbox,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl World {
    async fn new() -> anyhow::Result<Self> {
        let db = TestDatabase::new(run_migrations).await;
        let pool = connect(db.url(), 8)?;
        Ok(Self {
            users: PgUserRepository::new(pool.clone()),
            graph: PgSocialGraph::new(pool.clone()),
            outbox: PgOutbox::new(pool.clone()),
            pool,
            _db: db,
        })
    }

    async fn user(&self) -> anyhow::Result<UserId> {
        let user = User {
            id: UserId::new(),
            first_name: PersonName::parse("Aiko")?,
            last_name: PersonName::parse("Tanaka")?,
            email: Email::parse(&format!("u{}@example.com", Uuid::new_v4().simple()))?,
            bio: None,
            city: None,
            birth_date: None,
            settings: Settings::default(),
            created_at: now(),
        };
        self.users
            .create(&NewUser {
                user: user.clone(),
                password_hash: PasswordHash("x".into()),
            })
            .await?;
        Ok(user.id)
    }

    async fn rows(&self) -> anyhow::Result<i64> {
        let mut conn = self.pool.get().await?;
        let count: Count = diesel::sql_query("SELECT count(*) AS n FROM event_outbox")
            .get_result(&mut conn)
            .await?;
        Ok(count.n)
    }

    /// Claims everything that happened before now, as a relay would after the grace period.
    async fn claim_all(&self, at: OffsetDateTime) -> anyhow::Result<Vec<EventEnvelope>> {
        Ok(self
            .outbox
            .claim(at + Duration::seconds(1), at, Duration::seconds(30), 100)
            .await?)
    }
}

fn settings_event(user: UserId, at: OffsetDateTime) -> EventEnvelope {
    DomainEvent::SettingsUpdated {
        user_id: user,
        settings: Settings::default(),
    }
    .to(vec![user], Some(SessionId::new()), at)
}

#[tokio::test]
async fn a_friend_request_commits_its_events_with_it_and_they_read_back_whole() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let (a, b) = (w.user().await?, w.user().await?);
    let origin = SessionId::new();
    let at = now();

    let committed = w
        .graph
        .change_friendship(a, b, &decide(a, b, FriendAction::Request, at, Some(origin)))
        .await?;

    assert_eq!(committed.events.len(), 3, "both sides and the notification");
    let mut claimed = w.claim_all(at).await?;
    claimed.sort_by_key(|e| e.id);
    let mut written = committed.events.clone();
    written.sort_by_key(|e| e.id);
    assert_eq!(claimed, written);
    assert!(
        claimed
            .iter()
            .all(|e| e.origin == Some(origin) && e.at == at)
    );
    assert_eq!(
        claimed
            .iter()
            .map(|e| (e.kind(), e.recipients.clone()))
            .collect::<HashSet<_>>(),
        HashSet::from([
            ("friendship.updated", vec![a]),
            ("friendship.updated", vec![b]),
            ("notification.new", vec![b]),
        ])
    );
    Ok(())
}

#[tokio::test]
async fn a_refused_decision_writes_no_event() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user().await?, w.user().await?);

    let refused = w
        .graph
        .change_friendship(a, b, &decide(a, b, FriendAction::Accept, now(), None))
        .await;

    assert!(
        matches!(refused, Err(GraphError::Rule(FriendshipError::NoRequest))),
        "{refused:?}"
    );
    assert_eq!(w.rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn an_unknown_user_writes_no_event() -> anyhow::Result<()> {
    let w = World::new().await?;
    let a = w.user().await?;
    let ghost = UserId::new();

    let result = w
        .graph
        .change_friendship(
            a,
            ghost,
            &decide(a, ghost, FriendAction::Request, now(), None),
        )
        .await;

    assert!(matches!(result, Err(GraphError::UnknownUser)), "{result:?}");
    assert_eq!(w.rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn blocking_and_unblocking_write_what_their_announcements_make() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user().await?, w.user().await?);
    let at = now();
    let blocked = |facts: &PairFacts| {
        vec![
            DomainEvent::FriendshipUpdated {
                user_id: a,
                other_user_id: b,
                relation: Relation::Blocked,
            }
            .to(vec![a], None, at),
        ]
        .into_iter()
        .filter(|_| !facts.blocked())
        .collect()
    };
    let unblocked = |(): &()| vec![settings_event(a, at)];

    let block = w.graph.block(a, b, at, &blocked).await?;
    let first_unblock = w.graph.unblock(a, b, &unblocked).await?;
    let second_unblock = w.graph.unblock(a, b, &unblocked).await?;

    assert_eq!(block.events.len(), 1);
    assert!(first_unblock.value && !second_unblock.value);
    assert!(
        second_unblock.events.is_empty(),
        "no block, nothing announced"
    );
    assert_eq!(w.rows().await?, 2);
    Ok(())
}

#[tokio::test]
async fn a_settings_change_commits_its_events_and_a_missing_user_writes_none() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let a = w.user().await?;
    let at = now();
    let patch = SettingsPatch {
        theme: Some(Theme::Dark),
        ..SettingsPatch::default()
    };
    let announce = |settings: &Settings| {
        vec![
            DomainEvent::SettingsUpdated {
                user_id: a,
                settings: *settings,
            }
            .to(vec![a], None, at),
        ]
    };

    let committed = w.users.update_settings(a, &patch, at, &announce).await?;
    let missing = w
        .users
        .update_settings(UserId::new(), &patch, at, &announce)
        .await;

    assert_eq!(committed.value.theme, Theme::Dark);
    assert_eq!(w.claim_all(at).await?, committed.events);
    assert!(missing.is_err());
    assert_eq!(w.rows().await?, 1);
    Ok(())
}

/// Writes `n` settings events that happened at `at`, through a real write.
async fn pending(w: &World, n: usize, at: OffsetDateTime) -> anyhow::Result<Vec<EventEnvelope>> {
    let user = w.user().await?;
    let mut events = Vec::new();
    for _ in 0..n {
        let event = settings_event(user, at);
        let announce = |_: &Settings| vec![event.clone()];
        let committed = w
            .users
            .update_settings(user, &SettingsPatch::default(), at, &announce)
            .await?;
        events.extend(committed.events);
    }
    Ok(events)
}

#[tokio::test]
async fn the_relay_only_claims_events_older_than_its_grace_oldest_first() -> anyhow::Result<()> {
    let w = World::new().await?;
    let old = pending(&w, 3, now() - Duration::minutes(5)).await?;
    let fresh = pending(&w, 2, now()).await?;

    let claimed = w
        .outbox
        .claim(
            now() - Duration::seconds(10),
            now(),
            Duration::seconds(30),
            100,
        )
        .await?;

    assert_eq!(claimed, old, "the old ones, in the order they happened");
    assert!(fresh.iter().all(|e| !claimed.contains(e)));
    Ok(())
}

#[tokio::test]
async fn a_claim_is_a_lease_others_skip_until_it_ends() -> anyhow::Result<()> {
    let w = World::new().await?;
    let at = now() - Duration::minutes(5);
    pending(&w, 4, at).await?;
    let lease = Duration::seconds(30);
    let t = now();

    let first = w.outbox.claim(t, t, lease, 100).await?;
    let during = w
        .outbox
        .claim(t, t + Duration::seconds(10), lease, 100)
        .await?;
    let after = w
        .outbox
        .claim(t, t + Duration::seconds(31), lease, 100)
        .await?;

    assert_eq!(first.len(), 4);
    assert!(during.is_empty(), "still leased");
    assert_eq!(
        after, first,
        "a dead relay's batch comes back when its lease ends"
    );
    Ok(())
}

#[tokio::test]
async fn concurrent_relays_share_the_events_without_overlap() -> anyhow::Result<()> {
    let w = World::new().await?;
    let written = pending(&w, 40, now() - Duration::minutes(5)).await?;
    let t = now();
    let lease = Duration::seconds(30);

    let (one, two, three, four) = tokio::join!(
        w.outbox.claim(t, t, lease, 15),
        w.outbox.claim(t, t, lease, 15),
        w.outbox.claim(t, t, lease, 15),
        w.outbox.claim(t, t, lease, 15),
    );
    // Whatever the concurrent claims skipped is still there for the next one.
    let rest = w.outbox.claim(t, t, lease, 100).await?;

    let mut seen = HashSet::new();
    for event in [one?, two?, three?, four?, rest].into_iter().flatten() {
        assert!(seen.insert(event.id), "claimed twice: {}", event.id);
    }
    assert_eq!(seen, written.iter().map(|e| e.id).collect::<HashSet<_>>());
    Ok(())
}

#[tokio::test]
async fn delivered_events_are_cleared_and_unknown_ids_are_ignored() -> anyhow::Result<()> {
    let w = World::new().await?;
    let events = pending(&w, 3, now() - Duration::minutes(5)).await?;
    let mut ids: Vec<_> = events.iter().map(|e| e.id).take(2).collect();
    ids.push(sakura_domain::EventId::new());

    w.outbox.mark_delivered(&ids).await?;
    w.outbox.mark_delivered(&[]).await?;

    assert_eq!(w.rows().await?, 1);
    let left = w.claim_all(now()).await?;
    assert_eq!(left, vec![events[2].clone()]);
    Ok(())
}

//! `PgSocialGraph`, `PgPeopleDirectory` and `PgNotificationStore` against the real PostgreSQL:
//! friendship transitions (also under concurrency), blocks, cards, lists and their keyset
//! pages, name search, suggestions and notifications. Each test gets a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use anyhow::Context;
use diesel::sql_types::{BigInt, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use sakura_application::StoreError;
use sakura_application::pagination::{Page, PageRequest};
use sakura_application::ports::{
    Dated, GraphError, NewUser, NotificationStore, PasswordHash, PeopleDirectory, RequestDirection,
    SocialGraph, UserRepository,
};
use sakura_application::testing::SocialGraphExt;
use sakura_domain::clock::now;
use sakura_domain::friends::{FriendAction, FriendshipError, PairState};
use sakura_domain::notifications::NotificationKind;
use sakura_domain::users::{Email, PersonName, Settings, User};
use sakura_domain::{NotificationId, UserId};
use sakura_postgres::{
    PgNotificationStore, PgPeopleDirectory, PgPool, PgSocialGraph, PgUserRepository, connect,
    run_migrations,
};
use sakura_test_services::TestDatabase;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A fresh database with every adapter of the social graph on it.
struct World {
    _db: TestDatabase,
    pool: PgPool,
    users: PgUserRepository,
    graph: PgSocialGraph,
    people: PgPeopleDirectory,
    notifications: PgNotificationStore,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct StateRow {
    #[diesel(sql_type = Text)]
    state: String,
}

impl World {
    async fn new() -> anyhow::Result<Self> {
        let db = TestDatabase::new(run_migrations).await;
        let pool = connect(db.url(), 8)?;
        Ok(Self {
            users: PgUserRepository::new(pool.clone()),
            graph: PgSocialGraph::new(pool.clone()),
            people: PgPeopleDirectory::new(pool.clone()),
            notifications: PgNotificationStore::new(pool.clone()),
            pool,
            _db: db,
        })
    }

    /// Registers someone with this name.
    async fn user(&self, first: &str, last: &str) -> anyhow::Result<UserId> {
        let user = User {
            id: UserId::new(),
            first_name: PersonName::parse(first)?,
            last_name: PersonName::parse(last)?,
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

    /// Registers someone living in `city`.
    async fn user_in(&self, first: &str, last: &str, city: &str) -> anyhow::Result<UserId> {
        let id = self.user(first, last).await?;
        let mut conn = self.pool.get().await?;
        diesel::sql_query("UPDATE users SET city = $2 WHERE id = $1")
            .bind::<SqlUuid, _>(id.as_uuid())
            .bind::<Text, _>(city)
            .execute(&mut conn)
            .await?;
        Ok(id)
    }

    /// Makes `a` and `b` friends through the graph.
    async fn befriend(&self, a: UserId, b: UserId) -> anyhow::Result<()> {
        self.graph.apply(a, b, FriendAction::Request).await?;
        self.graph.apply(b, a, FriendAction::Accept).await?;
        Ok(())
    }

    /// Stores a friendship directly, friends since `since`.
    async fn friends_since(
        &self,
        a: UserId,
        b: UserId,
        since: OffsetDateTime,
    ) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        diesel::sql_query(
            "INSERT INTO friendships (user_a, user_b, state, requested_by, created_at, friends_since) \
             VALUES (LEAST($1, $2), GREATEST($1, $2), 'friends', $1, $3, $3)",
        )
        .bind::<SqlUuid, _>(a.as_uuid())
        .bind::<SqlUuid, _>(b.as_uuid())
        .bind::<Timestamptz, _>(since)
        .execute(&mut conn)
        .await?;
        Ok(())
    }

    /// The states of the pair's rows (at most one, if all is well).
    async fn rows_of(&self, a: UserId, b: UserId) -> anyhow::Result<Vec<String>> {
        let mut conn = self.pool.get().await?;
        let rows: Vec<StateRow> = diesel::sql_query(
            "SELECT state FROM friendships WHERE user_a = LEAST($1, $2) AND user_b = GREATEST($1, $2)",
        )
        .bind::<SqlUuid, _>(a.as_uuid())
        .bind::<SqlUuid, _>(b.as_uuid())
        .load(&mut conn)
        .await?;
        Ok(rows.into_iter().map(|r| r.state).collect())
    }

    /// How many notifications of `kind` `recipient` has.
    async fn notifications_of(
        &self,
        recipient: UserId,
        kind: NotificationKind,
    ) -> anyhow::Result<i64> {
        let mut conn = self.pool.get().await?;
        let count: Count = diesel::sql_query(
            "SELECT count(*) AS n FROM notifications WHERE recipient_id = $1 AND kind = $2",
        )
        .bind::<SqlUuid, _>(recipient.as_uuid())
        .bind::<Text, _>(kind.as_str())
        .get_result(&mut conn)
        .await?;
        Ok(count.n)
    }
}

fn page(limit: usize) -> PageRequest {
    PageRequest { limit, after: None }
}

fn ids(page: &Page<Dated>) -> Vec<UserId> {
    page.items.iter().map(|d| d.user_id).collect()
}

/// A moment `minutes` minutes ago, at the stored (millisecond) precision.
fn minutes_ago(minutes: i64) -> OffsetDateTime {
    now() - Duration::minutes(minutes)
}

/// Lets the millisecond clock move on, so rows written next sort after the ones before.
async fn tick() {
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
}

// ---- friendship transitions ----

#[tokio::test]
async fn a_request_leaves_the_pair_pending_and_notifies_the_other() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);

    let change = w.graph.apply(a, b, FriendAction::Request).await?;

    assert_eq!(change.before, PairState::None);
    assert_eq!(change.after, PairState::Requested { by: a });
    let notification = change.notification.context("a notification")?;
    assert_eq!(notification.recipient, b);
    assert_eq!(notification.actor, a);
    assert_eq!(notification.kind, NotificationKind::FriendRequest);
    assert_eq!(notification.subject.kind(), "user");
    assert_eq!(notification.subject.id(), a.as_uuid());
    assert!(!notification.read);
    assert_eq!(w.rows_of(a, b).await?, ["pending"]);
    assert_eq!(
        w.graph.pair(b, a).await?.state,
        PairState::Requested { by: a }
    );
    let stored = w.notifications.list(b, false, page(10)).await?;
    assert_eq!(stored.items, [notification]);
    Ok(())
}

#[tokio::test]
async fn requesting_someone_who_requested_me_makes_us_friends_and_notifies_them()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);
    w.graph.apply(a, b, FriendAction::Request).await?;

    let change = w.graph.apply(b, a, FriendAction::Request).await?;

    assert_eq!(change.before, PairState::Requested { by: a });
    assert_eq!(change.after, PairState::Friends);
    let notification = change.notification.context("a notification")?;
    assert_eq!(
        (
            notification.recipient,
            notification.actor,
            notification.kind
        ),
        (a, b, NotificationKind::FriendAccepted)
    );
    assert_eq!(w.rows_of(a, b).await?, ["friends"]);
    assert_eq!(
        w.notifications_of(a, NotificationKind::FriendAccepted)
            .await?,
        1
    );
    Ok(())
}

#[tokio::test]
async fn a_duplicate_request_is_refused_and_writes_nothing() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);
    w.graph.apply(a, b, FriendAction::Request).await?;

    let again = w.graph.apply(a, b, FriendAction::Request).await;

    assert!(
        matches!(
            again,
            Err(GraphError::Rule(FriendshipError::AlreadyRequested))
        ),
        "{again:?}"
    );
    assert_eq!(w.rows_of(a, b).await?, ["pending"]);
    assert_eq!(
        w.notifications_of(b, NotificationKind::FriendRequest)
            .await?,
        1
    );
    Ok(())
}

#[tokio::test]
async fn acting_towards_an_unknown_user_fails_with_unknown_user() -> anyhow::Result<()> {
    let w = World::new().await?;
    let a = w.user("Aiko", "Mori").await?;
    let ghost = UserId::new();

    let request = w.graph.apply(a, ghost, FriendAction::Request).await;
    let block = w.graph.block_now(a, ghost).await;

    assert!(
        matches!(request, Err(GraphError::UnknownUser)),
        "{request:?}"
    );
    assert!(matches!(block, Err(GraphError::UnknownUser)), "{block:?}");
    Ok(())
}

#[tokio::test]
async fn accepting_a_request_makes_friends_since_now() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);
    w.graph.apply(a, b, FriendAction::Request).await?;
    let before = now();

    let change = w.graph.apply(b, a, FriendAction::Accept).await?;

    assert_eq!(change.after, PairState::Friends);
    assert_eq!(w.rows_of(a, b).await?, ["friends"]);
    let friends = w.people.friends(a, None, page(10)).await?;
    assert_eq!(ids(&friends), [b]);
    assert!(friends.items[0].at >= before);
    Ok(())
}

#[tokio::test]
async fn declining_cancelling_and_unfriending_delete_the_row() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);

    w.graph.apply(a, b, FriendAction::Request).await?;
    let declined = w.graph.apply(b, a, FriendAction::Decline).await?;
    assert_eq!(
        (declined.after, declined.notification),
        (PairState::None, None)
    );
    assert!(w.rows_of(a, b).await?.is_empty());

    w.graph.apply(a, b, FriendAction::Request).await?;
    let cancelled = w.graph.apply(a, b, FriendAction::Cancel).await?;
    assert_eq!(cancelled.after, PairState::None);
    assert!(w.rows_of(a, b).await?.is_empty());

    w.befriend(a, b).await?;
    let unfriended = w.graph.apply(b, a, FriendAction::Unfriend).await?;
    assert_eq!(unfriended.before, PairState::Friends);
    assert!(w.rows_of(a, b).await?.is_empty());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn crossed_concurrent_requests_always_end_as_one_friendship() -> anyhow::Result<()> {
    let w = World::new().await?;
    for _ in 0..20 {
        let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);

        let (ab, ba) = tokio::join!(
            w.graph.apply(a, b, FriendAction::Request),
            w.graph.apply(b, a, FriendAction::Request)
        );

        let mut afters = [ab?.after, ba?.after];
        afters.sort_by_key(|s| matches!(s, PairState::Friends));
        assert!(
            matches!(afters[0], PairState::Requested { .. }),
            "{afters:?}"
        );
        assert_eq!(afters[1], PairState::Friends);
        assert_eq!(w.rows_of(a, b).await?, ["friends"]);
        let requests = w
            .notifications_of(a, NotificationKind::FriendRequest)
            .await?
            + w.notifications_of(b, NotificationKind::FriendRequest)
                .await?;
        let accepts = w
            .notifications_of(a, NotificationKind::FriendAccepted)
            .await?
            + w.notifications_of(b, NotificationKind::FriendAccepted)
                .await?;
        assert_eq!((requests, accepts), (1, 1));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_identical_requests_store_one_request_and_one_notification() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let graph = w.graph.clone();
        tasks.spawn(async move { graph.apply(a, b, FriendAction::Request).await });
    }
    let results = tasks.join_all().await;

    let accepted = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(GraphError::Rule(FriendshipError::AlreadyRequested))))
        .count();
    assert_eq!((accepted, refused), (1, 9), "{results:?}");
    assert_eq!(w.rows_of(a, b).await?, ["pending"]);
    assert_eq!(
        w.notifications_of(b, NotificationKind::FriendRequest)
            .await?,
        1
    );
    Ok(())
}

// ---- blocks ----

#[tokio::test]
async fn blocking_ends_a_friendship_and_is_idempotent() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);
    w.befriend(a, b).await?;

    let first = w.graph.block_now(a, b).await?;
    let second = w.graph.block_now(a, b).await?;

    assert!(first.created);
    assert_eq!(first.ended, PairState::Friends);
    assert!(!second.created);
    assert_eq!(second.ended, PairState::None);
    assert!(w.rows_of(a, b).await?.is_empty());
    let view = w.graph.pair(a, b).await?;
    assert_eq!(
        (view.state, view.me_blocked_other, view.other_blocked_me),
        (PairState::None, true, false)
    );
    Ok(())
}

#[tokio::test]
async fn blocking_withdraws_a_pending_request_either_way() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b, c) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chika", "Abe").await?,
    );
    w.graph.apply(a, b, FriendAction::Request).await?;
    w.graph.apply(c, a, FriendAction::Request).await?;

    let ended_mine = w.graph.block_now(a, b).await?;
    let ended_theirs = w.graph.block_now(a, c).await?;

    assert_eq!(ended_mine.ended, PairState::Requested { by: a });
    assert_eq!(ended_theirs.ended, PairState::Requested { by: c });
    assert!(w.rows_of(a, b).await?.is_empty());
    assert!(w.rows_of(a, c).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_blocked_pair_cannot_request_until_the_block_is_lifted() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);
    w.graph.block_now(a, b).await?;

    let mine = w.graph.apply(a, b, FriendAction::Request).await;
    let theirs = w.graph.apply(b, a, FriendAction::Request).await;
    assert!(
        matches!(mine, Err(GraphError::Rule(FriendshipError::Blocked))),
        "{mine:?}"
    );
    assert!(
        matches!(theirs, Err(GraphError::Rule(FriendshipError::Blocked))),
        "{theirs:?}"
    );
    assert!(w.rows_of(a, b).await?.is_empty());

    assert!(w.graph.unblock_now(a, b).await?);
    assert!(!w.graph.unblock_now(a, b).await?);
    let after = w.graph.apply(b, a, FriendAction::Request).await?;
    assert_eq!(after.after, PairState::Requested { by: b });
    Ok(())
}

#[tokio::test]
async fn the_pair_view_reads_a_missing_user_as_a_stranger() -> anyhow::Result<()> {
    let w = World::new().await?;
    let a = w.user("Aiko", "Mori").await?;

    let view = w.graph.pair(a, UserId::new()).await?;

    assert_eq!(
        (view.state, view.me_blocked_other, view.other_blocked_me),
        (PairState::None, false, false)
    );
    Ok(())
}

// ---- cards ----

#[tokio::test]
async fn cards_show_pair_state_blocks_both_ways_and_friend_counts_in_the_order_asked()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Sato").await?;
    let friend = w.user("Fumi", "Sato").await?;
    let asked = w.user("Ayu", "Sato").await?;
    let blocked = w.user("Bo", "Sato").await?;
    let blocker = w.user("Kai", "Sato").await?;
    let other = w.user("Oto", "Sato").await?;
    w.befriend(viewer, friend).await?;
    w.befriend(friend, other).await?;
    w.graph.apply(viewer, asked, FriendAction::Request).await?;
    w.graph.block_now(viewer, blocked).await?;
    w.graph.block_now(blocker, viewer).await?;

    let order = [blocker, UserId::new(), friend, viewer, asked, blocked];
    let cards = w.people.cards(viewer, &order).await?;

    let seen: Vec<_> = cards
        .iter()
        .map(|c| {
            (
                c.user.id,
                c.pair,
                c.viewer_blocked,
                c.blocked_viewer,
                c.friends_count,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (blocker, PairState::None, false, true, 0),
            (friend, PairState::Friends, false, false, 2),
            (viewer, PairState::None, false, false, 1),
            (asked, PairState::Requested { by: viewer }, false, false, 0),
            (blocked, PairState::None, true, false, 0),
        ]
    );
    assert!(cards.iter().all(|c| c.photos_count == 0));
    assert_eq!(cards[1].user.first_name.as_str(), "Fumi");
    Ok(())
}

// ---- lists ----

#[tokio::test]
async fn friends_are_listed_newest_first_across_pages_without_gaps_or_repeats() -> anyhow::Result<()>
{
    let w = World::new().await?;
    // Friends made before and after the owner sit on both sides of the pair (ids are v7).
    let mut friends = Vec::new();
    for _ in 0..3 {
        friends.push(w.user("Early", "Friend").await?);
    }
    let owner = w.user("Owen", "Hara").await?;
    for _ in 0..5 {
        friends.push(w.user("Late", "Friend").await?);
    }
    // Minutes ago: 1, 2, 3, 3, 5, 6, 7, 8 — a tie across the first page boundary.
    let ago = [1, 2, 3, 3, 5, 6, 7, 8];
    let base = minutes_ago(0);
    for (friend, minutes) in friends.iter().zip(ago) {
        w.friends_since(owner, *friend, base - Duration::minutes(minutes))
            .await?;
    }
    let mut expected: Vec<(OffsetDateTime, UserId)> = friends
        .iter()
        .zip(ago)
        .map(|(f, m)| (base - Duration::minutes(m), *f))
        .collect();
    expected.sort_by(|x, y| y.cmp(x));

    let mut seen = Vec::new();
    let mut request = page(3);
    let mut pages = 0;
    loop {
        let got = w.people.friends(owner, None, request).await?;
        pages += 1;
        seen.extend(got.items.iter().map(|d| (d.at, d.user_id)));
        match got.next {
            Some(next) => request.after = Some(next),
            None => break,
        }
    }

    assert_eq!(pages, 3);
    assert_eq!(seen, expected);
    Ok(())
}

#[tokio::test]
async fn the_friends_name_filter_keeps_substrings_and_near_misses() -> anyhow::Result<()> {
    let w = World::new().await?;
    let owner = w.user("Owen", "Hara").await?;
    let hanako = w.user("Hanako", "Tanaka").await?;
    // Not "Taro": at a threshold of 0.25, any word starting with "ta" nearly matches "tanak".
    let goro = w.user("Goro", "Yamada").await?;
    let kenji = w.user("Kenji", "Mori").await?;
    for friend in [hanako, goro, kenji] {
        w.befriend(owner, friend).await?;
    }

    let by_substring = w.people.friends(owner, Some(" TANAK "), page(10)).await?;
    let by_typo = w.people.friends(owner, Some("Yamda"), page(10)).await?;
    let wildcard = w.people.friends(owner, Some("%"), page(10)).await?;
    let nothing = w.people.friends(owner, Some("Fujiwara"), page(10)).await?;

    assert_eq!(ids(&by_substring), [hanako]);
    assert_eq!(ids(&by_typo), [goro]);
    assert!(wildcard.items.is_empty(), "a % is literal");
    assert!(nothing.items.is_empty());
    Ok(())
}

#[tokio::test]
async fn mutual_friends_are_the_shared_ones_newest_with_the_first_user_first() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let (a, b) = (w.user("Aiko", "Mori").await?, w.user("Ben", "Ito").await?);
    let (m1, m2, m3) = (
        w.user("Mika", "One").await?,
        w.user("Mika", "Two").await?,
        w.user("Mika", "Three").await?,
    );
    let only_a = w.user("Only", "Aiko").await?;
    w.friends_since(a, m1, minutes_ago(30)).await?;
    w.friends_since(a, m2, minutes_ago(10)).await?;
    w.friends_since(a, m3, minutes_ago(20)).await?;
    w.friends_since(a, only_a, minutes_ago(1)).await?;
    for m in [m1, m2, m3] {
        w.friends_since(b, m, minutes_ago(40)).await?;
    }

    let first = w.people.mutual_friends(a, b, page(2)).await?;
    let rest = w
        .people
        .mutual_friends(
            a,
            b,
            PageRequest {
                limit: 2,
                after: first.next,
            },
        )
        .await?;

    assert_eq!(ids(&first), [m2, m3]);
    assert_eq!(ids(&rest), [m1]);
    assert_eq!(rest.next, None);
    Ok(())
}

#[tokio::test]
async fn requests_are_split_into_incoming_and_outgoing_newest_first() -> anyhow::Result<()> {
    let w = World::new().await?;
    let earlier = w.user("Early", "Bird").await?;
    let me = w.user("Mei", "Kato").await?;
    let (later, asked, friend) = (
        w.user("Late", "Comer").await?,
        w.user("Ask", "Ed").await?,
        w.user("Fumi", "Sato").await?,
    );
    w.graph.apply(earlier, me, FriendAction::Request).await?;
    tick().await;
    w.graph.apply(me, asked, FriendAction::Request).await?;
    tick().await;
    w.graph.apply(later, me, FriendAction::Request).await?;
    w.befriend(me, friend).await?;

    let incoming = w
        .people
        .requests(me, RequestDirection::Incoming, page(1))
        .await?;
    let incoming_rest = w
        .people
        .requests(
            me,
            RequestDirection::Incoming,
            PageRequest {
                limit: 1,
                after: incoming.next,
            },
        )
        .await?;
    let outgoing = w
        .people
        .requests(me, RequestDirection::Outgoing, page(10))
        .await?;
    let theirs = w
        .people
        .requests(asked, RequestDirection::Incoming, page(10))
        .await?;

    assert_eq!(ids(&incoming), [later]);
    assert_eq!(ids(&incoming_rest), [earlier]);
    assert_eq!(incoming_rest.next, None);
    assert_eq!(ids(&outgoing), [asked]);
    assert_eq!(ids(&theirs), [me]);
    Ok(())
}

#[tokio::test]
async fn blocks_are_listed_newest_first() -> anyhow::Result<()> {
    let w = World::new().await?;
    let me = w.user("Mei", "Kato").await?;
    let (first, second) = (w.user("Ichi", "Ban").await?, w.user("Ni", "Ban").await?);
    w.graph.block_now(me, first).await?;
    tick().await;
    w.graph.block_now(me, second).await?;
    w.graph.block_now(second, me).await?;

    let one = w.people.blocks(me, page(1)).await?;
    let two = w
        .people
        .blocks(
            me,
            PageRequest {
                limit: 1,
                after: one.next,
            },
        )
        .await?;

    assert_eq!(ids(&one), [second]);
    assert_eq!(ids(&two), [first]);
    assert_eq!(two.next, None);
    Ok(())
}

// ---- search ----

#[tokio::test]
async fn search_finds_a_name_by_a_prefix_and_by_a_typo() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let hanako = w.user("Hanako", "Tanaka").await?;
    w.user("Kenji", "Watanabe").await?;

    let prefix = w.people.search(viewer, "Tanak", page(10)).await?;
    let typo = w.people.search(viewer, "Tnaaka", page(10)).await?;
    let blank = w.people.search(viewer, "   ", page(10)).await?;

    // "Watanabe" nearly contains "tanak" too, so it may follow; the substring match leads.
    assert_eq!(prefix.items.as_slice().first(), Some(&hanako));
    assert_eq!(typo.items.as_slice().first(), Some(&hanako));
    assert!(blank.items.is_empty());
    Ok(())
}

#[tokio::test]
async fn search_ranks_an_exact_match_above_fuzzy_ones() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let fuzzy = w.user("Hanaka", "Tanako").await?;
    let longer = w.user("Hanako", "Tanakamura").await?;
    let exact = w.user("Hanako", "Tanaka").await?;

    let found = w.people.search(viewer, "hanako tanaka", page(10)).await?;

    assert_eq!(found.items.as_slice().first(), Some(&exact));
    // Then by how near each word is: "hanako tanakamura" has the first name exactly and the last
    // name as a prefix (0 + 0.14); "hanaka tanako" misspells both (0.29 + 0.29).
    assert_eq!(found.items.get(1), Some(&longer));
    assert_eq!(found.items.get(2), Some(&fuzzy));
    assert_eq!(found.items.len(), 3);
    Ok(())
}

#[tokio::test]
async fn search_never_returns_the_viewer_or_someone_who_blocked_them() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Hanako", "Tanaka").await?;
    let blocker = w.user("Hanako", "Tanaka").await?;
    let blocked_by_viewer = w.user("Hanako", "Tanaka").await?;
    let visible = w.user("Hanako", "Tanaka").await?;
    w.graph.block_now(blocker, viewer).await?;
    w.graph.block_now(viewer, blocked_by_viewer).await?;

    let found = w.people.search(viewer, "Hanako Tanaka", page(10)).await?;

    let found: HashSet<_> = found.items.into_iter().collect();
    assert_eq!(found, HashSet::from([visible, blocked_by_viewer]));
    Ok(())
}

#[tokio::test]
async fn search_pages_through_every_match_once_best_first() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let mut sato = HashSet::new();
    for _ in 0..7 {
        sato.insert(w.user("Yuki", "Sato").await?);
    }
    let satou = w.user("Yuki", "Satou").await?;
    w.user("Kenji", "Watanabe").await?;

    let mut seen = Vec::new();
    let mut request = page(3);
    loop {
        let got = w.people.search(viewer, "yuki sato", request).await?;
        seen.extend(got.items);
        match got.next {
            Some(next) => request.after = Some(next),
            None => break,
        }
    }

    assert_eq!(seen.len(), 8);
    assert_eq!(seen[..7].iter().copied().collect::<HashSet<_>>(), sato);
    assert_eq!(seen[7], satou);
    Ok(())
}

/// Every page of a search for `q` as `viewer`, `limit` at a time.
async fn search_all(
    w: &World,
    viewer: UserId,
    q: &str,
    limit: usize,
) -> anyhow::Result<Vec<UserId>> {
    let mut seen = Vec::new();
    let mut request = page(limit);
    loop {
        let found = w.people.search(viewer, q, request).await?;
        seen.extend(found.items.iter().copied());
        match found.next {
            Some(next) => request.after = Some(next),
            None => return Ok(seen),
        }
    }
}

/// Inserts `n` users named `first last` straight into the table (the name index is a trigger).
async fn namesakes(w: &World, first: &str, last: &str, n: i64) -> anyhow::Result<Vec<UserId>> {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let mut conn = w.pool.get().await?;
    let rows: Vec<Id> = diesel::sql_query(
        "INSERT INTO users (id, first_name, last_name, email, email_normalized, password_hash, created_at, updated_at)
         SELECT gen_random_uuid(), $1, $2, e, e, 'x', now(), now()
         FROM (SELECT gen_random_uuid() || '@example.com' AS e FROM generate_series(1, $3)) s
         RETURNING id",
    )
    .bind::<Text, _>(first)
    .bind::<Text, _>(last)
    .bind::<BigInt, _>(n)
    .load(&mut conn)
    .await?;
    Ok(rows.into_iter().map(|r| UserId::from_uuid(r.id)).collect())
}

#[tokio::test]
async fn one_word_search_pages_through_a_common_name_exactly_best_word_first() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let mut tanakas = namesakes(&w, "Ken", "Tanaka", 130).await?;
    let mut longer = namesakes(&w, "Ken", "Tanakamura", 40).await?;
    let typo = w.user("Aiko", "Tanake").await?;
    let mut distant = namesakes(&w, "Ken", "Watanabe", 30).await?;
    namesakes(&w, "Ken", "Suzuki", 30).await?;

    let seen = search_all(&w, viewer, "Tanaka", 25).await?;

    // The exact word first, in id order; then the longer word; then the near ones.
    tanakas.sort();
    longer.sort();
    distant.sort();
    assert_eq!(seen.len(), 201, "every match once, no Suzuki");
    assert_eq!(seen[..130], tanakas[..]);
    assert_eq!(seen[130..170], longer[..]);
    assert_eq!(seen[170], typo);
    assert_eq!(seen[171..], distant[..]);
    Ok(())
}

#[tokio::test]
async fn one_word_search_lists_someone_once_under_their_best_word() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let both = w.user("Tanaka", "Tanakamura").await?;
    let twice = w.user("Tanaka", "Tanaka").await?;
    let prefix_only = w.user("Ken", "Tanakamura").await?;

    let seen = search_all(&w, viewer, "tanaka", 1).await?;

    let mut exact = [both, twice];
    exact.sort();
    assert_eq!(seen[..2], exact[..], "both listed under the exact word");
    assert_eq!(seen[2..], [prefix_only]);
    Ok(())
}

#[tokio::test]
async fn one_word_search_follows_renames_and_deletions() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let renamed = w.user("Mei", "Tanaka").await?;
    let deleted = w.user("Kenji", "Suzuki").await?;
    let mut conn = w.pool.get().await?;
    diesel::sql_query("UPDATE users SET last_name = 'Yamada' WHERE id = $1")
        .bind::<SqlUuid, _>(renamed.as_uuid())
        .execute(&mut conn)
        .await?;
    diesel::sql_query("DELETE FROM users WHERE id = $1")
        .bind::<SqlUuid, _>(deleted.as_uuid())
        .execute(&mut conn)
        .await?;
    drop(conn);

    assert!(search_all(&w, viewer, "tanaka", 10).await?.is_empty());
    assert!(search_all(&w, viewer, "suzuki", 10).await?.is_empty());
    assert_eq!(search_all(&w, viewer, "yamada", 10).await?, [renamed]);
    assert_eq!(search_all(&w, viewer, "mei", 10).await?, [renamed]);
    Ok(())
}

#[tokio::test]
async fn one_word_search_never_returns_the_viewer_or_someone_who_blocked_them() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let viewer = w.user("Hanako", "Tanaka").await?;
    let blocker = w.user("Hanako", "Tanaka").await?;
    let blocked_by_viewer = w.user("Hanako", "Tanaka").await?;
    w.graph.block_now(blocker, viewer).await?;
    w.graph.block_now(viewer, blocked_by_viewer).await?;

    assert_eq!(
        search_all(&w, viewer, "hanako", 10).await?,
        [blocked_by_viewer]
    );
    Ok(())
}

#[tokio::test]
async fn one_word_search_with_a_forged_cursor_answers_without_error() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    w.user("Hanako", "Tanaka").await?;
    for key in [i64::MIN, -1, 0, i64::MAX] {
        let request = PageRequest {
            limit: 10,
            after: Some(sakura_application::pagination::Cursor {
                key,
                id: Uuid::max(),
            }),
        };
        w.people.search(viewer, "tanaka", request).await?;
    }
    Ok(())
}

#[tokio::test]
async fn two_word_search_lists_people_matching_one_word_after_those_matching_both()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let only_last = w.user("Taro", "Tanaka").await?;
    let only_first = w.user("Hanako", "Suzuki").await?;
    let exact = w.user("Hanako", "Tanaka").await?;
    let near = w.user("Hanako", "Tanake").await?;
    w.user("Kenji", "Ishikawa").await?;

    let seen = search_all(&w, viewer, "Hanako Tanaka", 2).await?;

    // Both words, nearest first; then one word (the first query word's pair ranks first).
    assert_eq!(seen, [exact, near, only_first, only_last]);
    Ok(())
}

#[tokio::test]
async fn two_word_search_pages_through_every_pair_exactly_in_either_word_order()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let mut yuki_sato = namesakes(&w, "Yuki", "Sato", 60).await?;
    let mut yuki_ito = namesakes(&w, "Yuki", "Ito", 40).await?;
    let mut mei_sato = namesakes(&w, "Mei", "Sato", 30).await?;
    yuki_sato.sort();
    yuki_ito.sort();
    mei_sato.sort();

    // "sato" (90 people) is rarer than "yuki" (100): read from the second word's side.
    let seen = search_all(&w, viewer, "yuki sato", 25).await?;
    assert_eq!(seen.len(), 130, "every match once");
    assert_eq!(seen[..60], yuki_sato[..]);
    assert_eq!(seen[60..100], yuki_ito[..]);
    assert_eq!(seen[100..], mei_sato[..]);

    // "mei" (30) is rarer than "sato" (90): read from the first word's side.
    let seen = search_all(&w, viewer, "mei sato", 7).await?;
    assert_eq!(seen.len(), 90, "no Yuki Ito");
    assert_eq!(seen[..30], mei_sato[..]);
    assert_eq!(seen[30..], yuki_sato[..]);
    Ok(())
}

#[tokio::test]
async fn three_word_search_ranks_by_every_word_and_pages_exactly() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let two_of_three = w.user("Maria", "Smith").await?;
    let other_two = w.user("Ann", "Smith").await?;
    let typo = w.user("Mary Ann", "Smith").await?;
    let mut exact = namesakes(&w, "Maria Ann", "Smith", 45).await?;
    exact.sort();

    let seen = search_all(&w, viewer, "maria ann smith", 10).await?;

    // All three words exactly; then one misspelt; then two of the three (the first query
    // word's combination before the second's).
    assert_eq!(seen[..45], exact[..]);
    assert_eq!(seen[45..], [typo, two_of_three, other_two]);
    Ok(())
}

#[tokio::test]
async fn a_long_query_is_searched_by_its_four_longest_words() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let full = w.user("Maria de los Angeles", "Garcia").await?;
    let partial = w.user("Maria", "Garcia").await?;

    let seen = search_all(&w, viewer, "Maria de los Angeles Garcia", 10).await?;

    assert_eq!(seen, [full, partial]);
    Ok(())
}

#[tokio::test]
async fn several_word_search_follows_pairs_through_renames_and_repeated_words() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    let renamed = w.user("Hanako", "Suzuki").await?;
    let single = w.user("Ken", "Tanaka").await?;
    let mut conn = w.pool.get().await?;
    diesel::sql_query("UPDATE users SET last_name = 'Tanaka' WHERE id = $1")
        .bind::<SqlUuid, _>(renamed.as_uuid())
        .execute(&mut conn)
        .await?;
    drop(conn);

    // Both words now: first. The old pair is gone.
    assert_eq!(
        search_all(&w, viewer, "hanako tanaka", 10).await?,
        [renamed, single]
    );
    // No one is a Suzuki any more; "hanako" is near enough "tanaka" for Ken to follow.
    assert_eq!(
        search_all(&w, viewer, "hanako suzuki", 10).await?,
        [renamed, single]
    );
    // One word can answer two query words.
    let mut both = [renamed, single];
    both.sort();
    assert_eq!(search_all(&w, viewer, "tanaka tanaka", 1).await?, both);
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct WordCount {
    #[diesel(sql_type = Text)]
    word: String,
    #[diesel(sql_type = BigInt)]
    users_count: i64,
}

#[tokio::test]
async fn name_word_counts_follow_registrations_renames_and_deletions() -> anyhow::Result<()> {
    let w = World::new().await?;
    let a = w.user("Hanako", "Tanaka").await?;
    w.user("Hanako", "Suzuki").await?;
    let mut conn = w.pool.get().await?;
    diesel::sql_query("UPDATE users SET first_name = 'Mei' WHERE id = $1")
        .bind::<SqlUuid, _>(a.as_uuid())
        .execute(&mut conn)
        .await?;
    w.user("Tanaka", "Tanaka").await?;
    diesel::sql_query("DELETE FROM users WHERE last_name = 'Suzuki'")
        .execute(&mut conn)
        .await?;

    let counts: Vec<WordCount> =
        diesel::sql_query("SELECT word, users_count FROM name_words ORDER BY word")
            .load(&mut conn)
            .await?;
    let counts: Vec<(&str, i64)> = counts
        .iter()
        .map(|c| (c.word.as_str(), c.users_count))
        .collect();
    assert_eq!(
        counts,
        [("hanako", 0), ("mei", 1), ("suzuki", 0), ("tanaka", 2)]
    );
    Ok(())
}

// ---- suggestions ----

/// Vera with two friends; candidates with 2, 1 (+ city), 1 and 0 (+ city) mutual friends.
struct SuggestionWorld {
    w: World,
    viewer: UserId,
    friends: [UserId; 2],
    ranked: [UserId; 4],
}

async fn suggestion_world() -> anyhow::Result<SuggestionWorld> {
    let w = World::new().await?;
    let viewer = w.user_in("Vera", "Viewer", "Kyoto").await?;
    let (f1, f2) = (w.user("Fumi", "One").await?, w.user("Fumi", "Two").await?);
    let two_mutual = w.user("Two", "Mutual").await?;
    let one_and_city = w.user_in("One", "Local", "kyoto").await?;
    let one_mutual = w.user_in("One", "Mutual", "Osaka").await?;
    let city_only = w.user_in("City", "Only", "KYOTO").await?;
    w.user_in("Far", "Away", "Osaka").await?;
    w.befriend(viewer, f1).await?;
    w.befriend(viewer, f2).await?;
    w.befriend(f1, f2).await?;
    for (friend, candidate) in [
        (f1, two_mutual),
        (f2, two_mutual),
        (f1, one_and_city),
        (f2, one_mutual),
    ] {
        w.befriend(friend, candidate).await?;
    }
    Ok(SuggestionWorld {
        w,
        viewer,
        friends: [f1, f2],
        ranked: [two_mutual, one_and_city, one_mutual, city_only],
    })
}

#[tokio::test]
async fn suggestions_rank_by_mutual_friends_then_shared_city_across_pages() -> anyhow::Result<()> {
    let SuggestionWorld {
        w, viewer, ranked, ..
    } = suggestion_world().await?;

    let first = w.people.suggestions(viewer, page(2)).await?;
    let second = w
        .people
        .suggestions(
            viewer,
            PageRequest {
                limit: 2,
                after: first.next,
            },
        )
        .await?;

    let seen: Vec<_> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|s| (s.user_id, s.mutual_friends))
        .collect();
    assert_eq!(
        seen,
        [
            (ranked[0], 2),
            (ranked[1], 1),
            (ranked[2], 1),
            (ranked[3], 0)
        ]
    );
    assert_eq!(second.next, None);
    Ok(())
}

#[tokio::test]
async fn suggestions_exclude_self_friends_pending_requests_and_blocks_either_way()
-> anyhow::Result<()> {
    let SuggestionWorld {
        w,
        viewer,
        friends,
        ranked,
    } = suggestion_world().await?;
    let [f1, _] = friends;
    // Each of these would be a candidate (a friend of a friend) but for the reason named.
    let asked_by_viewer = w.user("Asked", "Byme").await?;
    let asked_viewer = w.user("Asked", "Me").await?;
    let blocked = w.user("Blocked", "Byme").await?;
    let blocker = w.user_in("Blocked", "Me", "Kyoto").await?;
    for candidate in [asked_by_viewer, asked_viewer, blocked, blocker] {
        w.befriend(f1, candidate).await?;
    }
    w.graph
        .apply(viewer, asked_by_viewer, FriendAction::Request)
        .await?;
    w.graph
        .apply(asked_viewer, viewer, FriendAction::Request)
        .await?;
    w.graph.block_now(viewer, blocked).await?;
    w.graph.block_now(blocker, viewer).await?;

    let got = w.people.suggestions(viewer, page(50)).await?;

    let got: Vec<_> = got.items.iter().map(|s| s.user_id).collect();
    assert_eq!(got, ranked);
    Ok(())
}

// ---- notifications ----

/// `recipient` with five friend-request notifications, newest last in the returned ids.
async fn five_notifications(w: &World) -> anyhow::Result<(UserId, Vec<NotificationId>)> {
    let recipient = w.user("Rei", "Noto").await?;
    let mut ids = Vec::new();
    for _ in 0..5 {
        let sender = w.user("Sen", "Der").await?;
        let change = w
            .graph
            .apply(sender, recipient, FriendAction::Request)
            .await?;
        ids.push(change.notification.context("a notification")?.id);
    }
    Ok((recipient, ids))
}

#[tokio::test]
async fn notifications_list_newest_first_filter_unread_and_paginate() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (me, ids) = five_notifications(&w).await?;
    w.notifications
        .mark_read(me, &[ids[4], ids[1]], now())
        .await?;

    let mut all = Vec::new();
    let mut request = page(2);
    loop {
        let got = w.notifications.list(me, false, request).await?;
        all.extend(got.items);
        match got.next {
            Some(next) => request.after = Some(next),
            None => break,
        }
    }
    let unread = w.notifications.list(me, true, page(10)).await?;

    let newest_first: Vec<NotificationId> = ids.iter().rev().copied().collect();
    assert_eq!(all.iter().map(|n| n.id).collect::<Vec<_>>(), newest_first);
    let read: Vec<bool> = all.iter().map(|n| n.read).collect();
    assert_eq!(read, [true, false, false, true, false]);
    assert_eq!(
        unread.items.iter().map(|n| n.id).collect::<Vec<_>>(),
        [ids[3], ids[2], ids[0]]
    );
    assert_eq!(w.notifications.unread_count(me).await?, 3);
    Ok(())
}

#[tokio::test]
async fn marking_someone_elses_notification_read_fails_and_marks_nothing() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (me, mine) = five_notifications(&w).await?;
    let (_, theirs) = five_notifications(&w).await?;

    let result = w
        .notifications
        .mark_read(me, &[mine[0], theirs[0]], now())
        .await;
    let unknown = w
        .notifications
        .mark_read(me, &[NotificationId::new()], now())
        .await;

    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    assert_eq!(w.notifications.unread_count(me).await?, 5);
    Ok(())
}

#[tokio::test]
async fn marking_read_twice_and_with_repeated_ids_is_fine() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (me, ids) = five_notifications(&w).await?;

    w.notifications
        .mark_read(me, &[ids[0], ids[0]], now())
        .await?;
    w.notifications
        .mark_read(me, &[ids[0], ids[2]], now())
        .await?;

    assert_eq!(w.notifications.unread_count(me).await?, 3);
    Ok(())
}

#[tokio::test]
async fn mark_all_read_clears_only_the_recipients_unread_count() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (me, _) = five_notifications(&w).await?;
    let (someone, _) = five_notifications(&w).await?;

    w.notifications.mark_all_read(me, now()).await?;

    assert_eq!(w.notifications.unread_count(me).await?, 0);
    assert!(
        w.notifications
            .list(me, true, page(10))
            .await?
            .items
            .is_empty()
    );
    assert_eq!(w.notifications.unread_count(someone).await?, 5);
    Ok(())
}

#[tokio::test]
async fn search_pages_exactly_through_thousands_of_equal_names() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user("Vera", "Viewer").await?;
    // Every one ties on both words, so pages follow ids alone, across 53 of them.
    namesakes(&w, "Twin", "Same", 5300).await?;

    let seen = search_all(&w, viewer, "twin same", 100).await?;

    let distinct: HashSet<UserId> = seen.iter().copied().collect();
    assert_eq!(seen.len(), 5300, "every twin once");
    assert_eq!(distinct.len(), 5300);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "ties in id order");
    Ok(())
}

//! `PgPeopleDirectory::suggestions` from stored snapshots, against the real PostgreSQL: a
//! snapshot follows friendships starting and ending around the viewer, requests, blocks and
//! deleted users; cities are read live; a stale snapshot served while it is recomputed in the
//! background still hides new friends; a snapshot holds at most 200 candidates; concurrent
//! graph changes, account deletions and reads neither fail nor leave a snapshot wrong (checked
//! against mutual friends counted from the tables). Each test gets a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use sakura_application::pagination::PageRequest;
use sakura_application::ports::{NewUser, PasswordHash, PeopleDirectory, UserRepository};
use sakura_application::testing::SocialGraphExt;
use sakura_domain::UserId;
use sakura_domain::friends::FriendAction;
use sakura_domain::users::{Email, PersonName, Settings, User};
use sakura_postgres::{
    PgPeopleDirectory, PgPool, PgSocialGraph, PgUserRepository, connect, run_migrations,
};
use sakura_test_services::TestDatabase;
use uuid::Uuid;

/// A fresh database with the adapters suggestions need.
struct World {
    _db: TestDatabase,
    pool: PgPool,
    users: PgUserRepository,
    graph: PgSocialGraph,
    /// Recomputes out-of-date snapshots while the reader waits (small neighbourhoods).
    people: PgPeopleDirectory,
}

#[derive(diesel::QueryableByName)]
struct Snapshot {
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    computed_version: Option<i64>,
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

#[derive(diesel::QueryableByName)]
struct MutualRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = BigInt)]
    mutual: i64,
}

impl World {
    async fn new() -> anyhow::Result<Self> {
        Self::with_pool(8).await
    }

    async fn with_pool(size: usize) -> anyhow::Result<Self> {
        let db = TestDatabase::new(run_migrations).await;
        let pool = connect(db.url(), size)?;
        Ok(Self {
            users: PgUserRepository::new(pool.clone()),
            graph: PgSocialGraph::new(pool.clone()),
            people: PgPeopleDirectory::new(pool.clone()),
            pool,
            _db: db,
        })
    }

    /// A directory on the same pool that serves a stale snapshot and recomputes it in the
    /// background as soon as one has been computed.
    fn background_people(&self) -> PgPeopleDirectory {
        PgPeopleDirectory::new(self.pool.clone()).with_background_suggestions_above(-1)
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
            created_at: sakura_domain::clock::now(),
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
        self.set_city(id, city).await?;
        Ok(id)
    }

    /// Moves `user` to `city`, outside the social graph.
    async fn set_city(&self, user: UserId, city: &str) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        diesel::sql_query("UPDATE users SET city = $2 WHERE id = $1")
            .bind::<SqlUuid, _>(user.as_uuid())
            .bind::<Text, _>(city)
            .execute(&mut conn)
            .await?;
        Ok(())
    }

    /// Makes `a` and `b` friends through the graph.
    async fn befriend(&self, a: UserId, b: UserId) -> anyhow::Result<()> {
        self.graph.apply(a, b, FriendAction::Request).await?;
        self.graph.apply(b, a, FriendAction::Accept).await?;
        Ok(())
    }

    /// Deletes `user` with SQL (their rows elsewhere go by cascade).
    async fn delete_user(&self, user: UserId) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        let deleted = diesel::sql_query("DELETE FROM users WHERE id = $1")
            .bind::<SqlUuid, _>(user.as_uuid())
            .execute(&mut conn)
            .await?;
        anyhow::ensure!(deleted == 1, "deleted {deleted} users");
        Ok(())
    }

    /// Registers `n` people with SQL and makes each a friend of `friend`, in one statement;
    /// their ids.
    async fn bulk_friends_of(&self, friend: UserId, n: i64) -> anyhow::Result<Vec<UserId>> {
        let mut conn = self.pool.get().await?;
        let rows: Vec<IdRow> = diesel::sql_query(
            "WITH new AS ( \
               INSERT INTO users (id, first_name, last_name, email, email_normalized, \
                                  password_hash, created_at, updated_at) \
               SELECT gen_random_uuid(), 'Bulk', 'Friend', \
                      $3 || '-' || i || '@example.com', $3 || '-' || i || '@example.com', \
                      'x', now(), now() \
               FROM generate_series(1, $2) AS i \
               RETURNING id) \
             INSERT INTO friendships (user_a, user_b, state, requested_by, created_at, friends_since) \
             SELECT LEAST($1, id), GREATEST($1, id), 'friends', $1, now(), now() FROM new \
             RETURNING CASE WHEN user_a = $1 THEN user_b ELSE user_a END AS id",
        )
        .bind::<SqlUuid, _>(friend.as_uuid())
        .bind::<BigInt, _>(n)
        .bind::<Text, _>(format!("bulk{}", Uuid::new_v4().simple()))
        .load(&mut conn)
        .await?;
        Ok(rows.into_iter().map(|r| UserId::from_uuid(r.id)).collect())
    }

    /// `user`'s snapshot: (version, computed_version), if they have one.
    async fn snapshot(&self, user: UserId) -> anyhow::Result<Option<(i64, Option<i64>)>> {
        let mut conn = self.pool.get().await?;
        let rows: Vec<Snapshot> = diesel::sql_query(
            "SELECT version, computed_version FROM suggestion_snapshots WHERE user_id = $1",
        )
        .bind::<SqlUuid, _>(user.as_uuid())
        .load(&mut conn)
        .await?;
        Ok(rows
            .into_iter()
            .next()
            .map(|s| (s.version, s.computed_version)))
    }

    /// `viewer`'s friends of friends with the count of friends shared, computed from the tables
    /// directly (not from any snapshot): everyone but the viewer, their friends, the people of a
    /// pending request either way and blocks either way. Best first (mutual, then id, both
    /// descending), as pages list them when nobody has a city.
    async fn expected(&self, viewer: UserId) -> anyhow::Result<Vec<(UserId, u64)>> {
        let mut conn = self.pool.get().await?;
        let rows: Vec<MutualRow> = diesel::sql_query(
            "SELECT fof.friend_id AS id, count(*) AS mutual \
             FROM friend_edges f JOIN friend_edges fof ON fof.user_id = f.friend_id \
             WHERE f.user_id = $1 AND fof.friend_id <> $1 \
               AND NOT EXISTS (SELECT 1 FROM friendships p \
                               WHERE p.user_a = LEAST($1, fof.friend_id) \
                                 AND p.user_b = GREATEST($1, fof.friend_id)) \
               AND NOT EXISTS (SELECT 1 FROM blocks b \
                               WHERE (b.blocker_id = $1 AND b.blocked_id = fof.friend_id) \
                                  OR (b.blocker_id = fof.friend_id AND b.blocked_id = $1)) \
             GROUP BY fof.friend_id \
             ORDER BY mutual DESC, id DESC",
        )
        .bind::<SqlUuid, _>(viewer.as_uuid())
        .load(&mut conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| (UserId::from_uuid(r.id), u64::try_from(r.mutual).unwrap()))
            .collect())
    }
}

/// Every suggestion for `viewer` from `people`, read `limit` at a time through the cursors:
/// (who, mutual friends), in page order.
async fn all_suggestions(
    people: &PgPeopleDirectory,
    viewer: UserId,
    limit: usize,
) -> anyhow::Result<Vec<(UserId, u64)>> {
    let mut seen = Vec::new();
    let mut request = PageRequest { limit, after: None };
    loop {
        let page = people.suggestions(viewer, request).await?;
        anyhow::ensure!(page.items.len() <= limit, "a page longer than asked");
        seen.extend(page.items.iter().map(|s| (s.user_id, s.mutual_friends)));
        match page.next {
            Some(next) => {
                anyhow::ensure!(seen.len() < 10_000, "the cursors never end");
                request.after = Some(next);
            }
            None => return Ok(seen),
        }
    }
}

/// Every suggestion for `viewer` through the directory that recomputes while the reader waits,
/// two at a time (so cursors are crossed too).
async fn suggested(w: &World, viewer: UserId) -> anyhow::Result<Vec<(UserId, u64)>> {
    all_suggestions(&w.people, viewer, 2).await
}

/// Who is suggested, without the counts.
fn who(suggestions: &[(UserId, u64)]) -> Vec<UserId> {
    suggestions.iter().map(|(id, _)| *id).collect()
}

/// `a` and `b` in page order among equals (id descending).
fn by_id_desc(a: UserId, b: UserId) -> [UserId; 2] {
    if a > b { [a, b] } else { [b, a] }
}

/// Reads `viewer`'s suggestions from `people` every 50 ms for up to 5 s until they equal
/// `want`; the last read if they never do. Every read must succeed.
async fn poll_until(
    people: &PgPeopleDirectory,
    viewer: UserId,
    want: &[(UserId, u64)],
) -> anyhow::Result<Vec<(UserId, u64)>> {
    let mut got = Vec::new();
    for _ in 0..100 {
        got = all_suggestions(people, viewer, 100).await?;
        if got == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(got)
}

// ---- the snapshot follows the graph ----

#[tokio::test]
async fn a_friend_of_a_friend_made_after_the_snapshot_appears_with_the_right_mutual_count()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b, c, d, e) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chie", "Sato").await?,
        w.user("Daiki", "Ono").await?,
        w.user("Emi", "Abe").await?,
    );
    w.befriend(a, b).await?;
    assert_eq!(suggested(&w, a).await?, [], "B has no other friend yet");
    assert!(w.snapshot(a).await?.is_some(), "the read stored a snapshot");

    w.befriend(b, c).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 1)], "C through B");

    w.befriend(a, d).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 1)], "D is a friend now");
    w.befriend(d, c).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 2)], "C through B and D");

    w.befriend(b, e).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 2), (e, 1)]);
    // The other side's snapshot follows the same changes.
    assert_eq!(
        suggested(&w, c).await?,
        [(a, 2), (e, 1)],
        "A through B and D"
    );
    Ok(())
}

#[tokio::test]
async fn unfriending_removes_the_candidates_it_made_and_frees_the_ex_friend() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let (a, b, c, d) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chie", "Sato").await?,
        w.user("Daiki", "Ono").await?,
    );
    w.befriend(a, b).await?;
    w.befriend(b, c).await?;
    w.befriend(b, d).await?;
    assert_eq!(who(&suggested(&w, a).await?), by_id_desc(c, d));

    w.graph.apply(b, c, FriendAction::Unfriend).await?;
    assert_eq!(suggested(&w, a).await?, [(d, 1)], "C lost their link to A");

    // An ex-friend who is still a friend of a friend becomes a candidate.
    w.befriend(a, d).await?;
    assert_eq!(suggested(&w, a).await?, []);
    w.graph.apply(d, a, FriendAction::Unfriend).await?;
    assert_eq!(suggested(&w, a).await?, [(d, 1)]);

    // The viewer's own last friendship ending leaves nothing.
    w.graph.apply(a, b, FriendAction::Unfriend).await?;
    assert_eq!(suggested(&w, a).await?, []);
    Ok(())
}

#[tokio::test]
async fn a_declined_or_cancelled_request_lets_the_candidate_back() -> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b, c, d) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chie", "Sato").await?,
        w.user("Daiki", "Ono").await?,
    );
    for (x, y) in [(a, b), (a, d), (b, c), (d, c)] {
        w.befriend(x, y).await?;
    }
    assert_eq!(suggested(&w, a).await?, [(c, 2)]);

    w.graph.apply(a, c, FriendAction::Request).await?;
    assert_eq!(suggested(&w, a).await?, [], "my request is pending");
    assert_eq!(suggested(&w, c).await?, [], "and theirs shows it too");
    w.graph.apply(c, a, FriendAction::Decline).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 2)], "declined");
    assert_eq!(suggested(&w, c).await?, [(a, 2)]);

    w.graph.apply(a, c, FriendAction::Request).await?;
    assert_eq!(suggested(&w, a).await?, []);
    w.graph.apply(a, c, FriendAction::Cancel).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 2)], "cancelled");

    w.graph.apply(c, a, FriendAction::Request).await?;
    assert_eq!(suggested(&w, a).await?, [], "their request is pending");
    w.graph.apply(a, c, FriendAction::Decline).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 2)], "declined by me");
    Ok(())
}

#[tokio::test]
async fn a_block_removes_the_candidate_at_once_and_an_unblock_lets_them_back() -> anyhow::Result<()>
{
    let w = World::new().await?;
    let background = w.background_people();
    let (a, b, c) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chie", "Sato").await?,
    );
    w.befriend(a, b).await?;
    w.befriend(b, c).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 1)]);

    w.graph.block_now(a, c).await?;
    // Even a stale snapshot served while it is recomputed leaves the blocked person out.
    assert_eq!(all_suggestions(&background, a, 10).await?, []);
    assert_eq!(suggested(&w, a).await?, []);
    assert_eq!(suggested(&w, c).await?, [], "either way");
    w.graph.unblock_now(a, c).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 1)], "unblocked");
    assert_eq!(suggested(&w, c).await?, [(a, 1)]);

    w.graph.block_now(c, a).await?;
    assert_eq!(all_suggestions(&background, a, 10).await?, []);
    assert_eq!(suggested(&w, a).await?, [], "blocked by them");
    w.graph.unblock_now(c, a).await?;
    assert_eq!(suggested(&w, a).await?, [(c, 1)]);
    Ok(())
}

#[tokio::test]
async fn a_candidates_city_is_read_live_without_any_graph_change() -> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user_in("Vera", "Viewer", "Kyoto").await?;
    let friend = w.user_in("Fumi", "Friend", "Osaka").await?;
    let (x, y) = (
        w.user_in("Xan", "One", "Osaka").await?,
        w.user_in("Yui", "Two", "Osaka").await?,
    );
    let stranger = w.user_in("Sora", "Stranger", "Osaka").await?;
    w.befriend(viewer, friend).await?;
    w.befriend(friend, x).await?;
    w.befriend(friend, y).await?;
    let [high, low] = by_id_desc(x, y);
    assert_eq!(suggested(&w, viewer).await?, [(high, 1), (low, 1)]);
    let computed = w.snapshot(viewer).await?;

    w.set_city(stranger, "KYOTO").await?;
    assert_eq!(
        suggested(&w, viewer).await?,
        [(high, 1), (low, 1), (stranger, 0)],
        "the stranger now shares the city (case aside)"
    );

    w.set_city(low, "kyoto").await?;
    assert_eq!(
        suggested(&w, viewer).await?,
        [(low, 1), (high, 1), (stranger, 0)],
        "sharing the city lifts one mutual friend over another"
    );
    assert_eq!(
        w.snapshot(viewer).await?,
        computed,
        "no graph change, so the snapshot was never out of date"
    );

    // A profile shown only to friends does not reveal its city through suggestions.
    let mut conn = w.pool.get().await?;
    diesel::sql_query("UPDATE users SET privacy_profile = 'friends' WHERE id = ANY($1)")
        .bind::<diesel::sql_types::Array<SqlUuid>, _>(vec![stranger.as_uuid(), low.as_uuid()])
        .execute(&mut conn)
        .await?;
    drop(conn);
    assert_eq!(suggested(&w, viewer).await?, [(high, 1), (low, 1)]);
    Ok(())
}

// ---- background recomputation ----

#[tokio::test]
async fn a_stale_snapshot_is_served_without_new_friends_and_catches_up_in_the_background()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let background = w.background_people();
    let (a, b, c, d) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chie", "Sato").await?,
        w.user("Daiki", "Ono").await?,
    );
    w.befriend(a, b).await?;
    w.befriend(b, c).await?;
    // The first read has no snapshot to serve: it computes one while the reader waits.
    assert_eq!(all_suggestions(&background, a, 10).await?, [(c, 1)]);
    let (version, computed) = w.snapshot(a).await?.unwrap();
    assert_eq!(computed, Some(version));

    w.befriend(a, c).await?; // stored as a candidate, now a friend
    w.befriend(b, d).await?; // a new candidate
    let (version, computed) = w.snapshot(a).await?.unwrap();
    assert_ne!(computed, Some(version), "the changes marked the snapshot");

    // The first read may still be the stale snapshot (a timing matter), but never shows C.
    let first = all_suggestions(&background, a, 10).await?;
    assert!(!who(&first).contains(&c), "a new friend shown: {first:?}");
    let want = [(d, 1)]; // through B
    let got = poll_until(&background, a, &want).await?;
    assert_eq!(got, want, "the background recomputation never landed");
    let mut current = false;
    for _ in 0..100 {
        let (version, computed) = w.snapshot(a).await?.unwrap();
        if computed == Some(version) {
            current = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(current, "the snapshot never became current");
    assert_eq!(suggested(&w, a).await?, want);
    Ok(())
}

// ---- truncation ----

#[tokio::test]
async fn a_snapshot_keeps_the_best_200_and_then_leaves_out_same_city_strangers()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let viewer = w.user_in("Vera", "Viewer", "Kyoto").await?;
    let friend = w.user("Fumi", "Friend").await?;
    w.befriend(viewer, friend).await?;
    let stranger = w.user_in("Sora", "Stranger", "Kyoto").await?;
    let mut bulk = w.bulk_friends_of(friend, 250).await?;
    assert_eq!(bulk.len(), 250);
    // The lowest id would be cut last of all, but sharing the city makes it the best.
    bulk.sort_unstable_by(|x, y| y.cmp(x));
    let neighbour = *bulk.last().unwrap();
    w.set_city(neighbour, "Kyoto").await?;

    let seen = all_suggestions(&w.people, viewer, 100).await?;

    let distinct: HashSet<UserId> = who(&seen).into_iter().collect();
    assert_eq!(seen.len(), 200, "the snapshot's size");
    assert_eq!(distinct.len(), 200, "each once");
    assert!(
        seen.iter().all(|(_, m)| *m == 1),
        "all through the one friend"
    );
    assert!(
        !distinct.contains(&stranger),
        "no same-city stranger after a cut"
    );
    let mut best: Vec<UserId> = vec![neighbour];
    best.extend(bulk.iter().take(199));
    assert_eq!(who(&seen), best, "the first 200 of the full ranking");

    // With 150 candidates left the snapshot holds them all, and the stranger comes last.
    let mut conn = w.pool.get().await?;
    let dropped = diesel::sql_query(
        "DELETE FROM friendships \
         WHERE (user_a = $1 AND user_b = ANY($2)) OR (user_b = $1 AND user_a = ANY($2))",
    )
    .bind::<SqlUuid, _>(friend.as_uuid())
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(
        bulk[..100].iter().map(|u| u.as_uuid()).collect::<Vec<_>>(),
    )
    .execute(&mut conn)
    .await?;
    drop(conn);
    assert_eq!(dropped, 100);

    let seen = all_suggestions(&w.people, viewer, 100).await?;

    let mut want: Vec<(UserId, u64)> = vec![(neighbour, 1)];
    want.extend(bulk[100..249].iter().map(|u| (*u, 1)));
    want.push((stranger, 0));
    assert_eq!(seen.len(), 151);
    assert_eq!(seen, want);
    Ok(())
}

// ---- concurrency ----

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_friendships_around_a_hub_and_reads_neither_fail_nor_leave_a_stale_snapshot()
-> anyhow::Result<()> {
    let w = Arc::new(World::with_pool(24).await?);
    let hub = w.user("Hana", "Hub").await?;
    // Four friends of the hub in a ring, so some candidates share two friends with a reader.
    let mut friends = Vec::new();
    for _ in 0..4 {
        let f = w.user("Fumi", "Ring").await?;
        w.befriend(hub, f).await?;
        friends.push(f);
    }
    for (i, f) in friends.iter().enumerate() {
        w.befriend(*f, friends[(i + 1) % 4]).await?;
    }
    // Twenty people, each a friend of one ring member, each asking the hub.
    let mut newcomers = Vec::new();
    for i in 0..20 {
        let n = w.user("Nao", "Newcomer").await?;
        w.befriend(n, friends[i % 4]).await?;
        w.graph.apply(n, hub, FriendAction::Request).await?;
        newcomers.push(n);
    }
    for f in &friends {
        suggested(&w, *f).await?; // every reader has a snapshot before the storm
    }
    suggested(&w, hub).await?;

    let writing = Arc::new(AtomicBool::new(true));
    let mut readers = tokio::task::JoinSet::new();
    for reader in friends.iter().copied().chain([hub]) {
        let (w, writing) = (Arc::clone(&w), Arc::clone(&writing));
        readers.spawn(async move {
            let mut reads = 0_u32;
            while AtomicBool::load(&writing, Ordering::SeqCst) || reads < 5 {
                all_suggestions(&w.people, reader, 7).await?;
                reads += 1;
            }
            anyhow::Ok(reads)
        });
    }
    let mut writers = tokio::task::JoinSet::new();
    for n in newcomers.iter().copied() {
        let graph = w.graph.clone();
        writers.spawn(async move { graph.apply(hub, n, FriendAction::Accept).await });
    }
    let written = writers.join_all().await;
    writing.store(false, Ordering::SeqCst);
    let read = readers.join_all().await;

    for result in &written {
        assert!(result.is_ok(), "a write failed: {result:?}");
    }
    for result in &read {
        assert!(result.is_ok(), "a read failed: {result:?}");
    }
    for reader in friends.iter().copied().chain([hub]) {
        let want = w.expected(reader).await?;
        assert_eq!(suggested(&w, reader).await?, want, "reader {reader:?}");
    }
    // The expectation itself: ring member 0 shares the hub and ring member 1 with member 1's
    // newcomers, only the hub with member 2's, and is a friend of its own.
    let first = w.expected(friends[0]).await?;
    let mutual: HashMap<UserId, u64> = first.into_iter().collect();
    assert_eq!(mutual.get(&newcomers[1]), Some(&2));
    assert_eq!(mutual.get(&newcomers[2]), Some(&1));
    assert_eq!(mutual.get(&newcomers[0]), None, "a friend already");
    Ok(())
}

/// Runs `sql` on `conn` (a transaction's statements on one connection).
async fn run(conn: &mut diesel_async::AsyncPgConnection, sql: &str) -> anyhow::Result<()> {
    diesel::sql_query(sql).execute(conn).await?;
    Ok(())
}

/// What accepting `a` and `b`'s pending request writes, on `conn`, inside its open transaction.
async fn accept_on(
    conn: &mut diesel_async::AsyncPgConnection,
    a: UserId,
    b: UserId,
) -> anyhow::Result<()> {
    let updated = diesel::sql_query(
        "UPDATE friendships SET state = 'friends', friends_since = now() \
         WHERE user_a = LEAST($1, $2) AND user_b = GREATEST($1, $2) AND state = 'pending'",
    )
    .bind::<SqlUuid, _>(a.as_uuid())
    .bind::<SqlUuid, _>(b.as_uuid())
    .execute(conn)
    .await?;
    anyhow::ensure!(updated == 1, "accepted {updated} requests");
    Ok(())
}

/// Two friendships through the same person, A–B and B–C, start in overlapping transactions, as
/// two `apply` calls on different pairs can (each transaction below writes what `apply` writes).
/// A–B's must mark A's snapshot, and B–C's must too once A–B is committed: a read of A's between
/// the two commits may store a snapshot without C, but only as out of date. The second writer
/// and that read run on their own tasks, so locks that make them wait do not hang the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_friendship_committed_after_an_overlapping_one_still_reaches_the_snapshot()
-> anyhow::Result<()> {
    let w = World::new().await?;
    let (a, b, c) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chie", "Sato").await?,
    );
    w.graph.apply(a, b, FriendAction::Request).await?;
    w.graph.apply(b, c, FriendAction::Request).await?;
    for user in [a, b, c] {
        assert_eq!(suggested(&w, user).await?, [], "everyone has a snapshot");
    }
    let mut first = w.pool.get().await?;
    let mut second = w.pool.get().await?;
    let limit = Duration::from_secs(20);

    run(&mut first, "BEGIN").await?;
    accept_on(&mut first, a, b).await?;
    let second = tokio::spawn(async move {
        run(&mut second, "BEGIN").await?;
        accept_on(&mut second, b, c).await?;
        anyhow::Ok(second)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    run(&mut first, "COMMIT").await?;
    let mut second = tokio::time::timeout(limit, second).await???;
    // A read of A's while B–C is still open (it waits for B–C if B–C locked A's snapshot).
    let people = w.people.clone();
    let between = tokio::spawn(async move { all_suggestions(&people, a, 10).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    run(&mut second, "COMMIT").await?;
    tokio::time::timeout(limit, between).await???;
    drop((first, second));

    assert_eq!(
        w.expected(a).await?,
        [(c, 1)],
        "the tables make C a candidate"
    );
    let snapshot = w.snapshot(a).await?;
    assert_eq!(
        suggested(&w, a).await?,
        [(c, 1)],
        "the snapshot missed C; before this read it was {snapshot:?} (version, computed)"
    );
    Ok(())
}

/// The same race through the adapters: twenty people become the hub's friends at once, each
/// reading their suggestions right after. Each should end up seeing the other nineteen (through
/// the hub); a read between two overlapping acceptances stores a snapshot that misses the
/// later one as current, and nothing marks it out of date again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn people_becoming_a_hubs_friends_at_once_each_end_up_seeing_all_the_others()
-> anyhow::Result<()> {
    let w = Arc::new(World::with_pool(24).await?);
    for _ in 0..3 {
        let hub = w.user("Hana", "Hub").await?;
        suggested(&w, hub).await?;
        let mut newcomers = Vec::new();
        for _ in 0..20 {
            let n = w.user("Nao", "Newcomer").await?;
            w.graph.apply(n, hub, FriendAction::Request).await?;
            suggested(&w, n).await?; // a snapshot, as an active user has
            newcomers.push(n);
        }

        let mut tasks = tokio::task::JoinSet::new();
        for n in newcomers.iter().copied() {
            let w = Arc::clone(&w);
            tasks.spawn(async move {
                w.graph.apply(hub, n, FriendAction::Accept).await?;
                all_suggestions(&w.people, n, 100).await?;
                anyhow::Ok(())
            });
        }
        for result in tasks.join_all().await {
            result?;
        }

        for n in newcomers {
            let want = w.expected(n).await?;
            assert_eq!(want.len(), 19, "every other newcomer, through the hub");
            let got = suggested(&w, n).await?;
            assert_eq!(
                got.len(),
                want.len(),
                "newcomer {n:?} sees {} of {}; snapshot {:?}",
                got.len(),
                want.len(),
                w.snapshot(n).await?
            );
            assert_eq!(got, want);
        }
    }
    Ok(())
}

/// Deleting an account deletes all its friendships in one statement, a trigger run per row;
/// meanwhile the account's friends make friends with each other. Neither side may fail (a
/// deadlock between them is the risk: the deletion's rows lock people one pair at a time, not
/// in one global order), and afterwards every friend's suggestions are exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_a_user_while_their_friends_make_friends_fails_nothing() -> anyhow::Result<()> {
    let w = Arc::new(World::with_pool(30).await?);
    for _ in 0..10 {
        let leaving = w.user("Xavier", "Leaving").await?;
        let mut ring = Vec::new();
        for _ in 0..20 {
            let f = w.user("Fumi", "Ring").await?;
            w.befriend(leaving, f).await?;
            ring.push(f);
        }
        for (i, f) in ring.iter().enumerate() {
            w.graph
                .apply(*f, ring[(i + 1) % ring.len()], FriendAction::Request)
                .await?;
            suggested(&w, *f).await?;
        }
        suggested(&w, leaving).await?;

        let mut tasks = tokio::task::JoinSet::new();
        for (i, f) in ring.iter().copied().enumerate() {
            let graph = w.graph.clone();
            let next = ring[(i + 1) % ring.len()];
            tasks.spawn(async move {
                graph.apply(next, f, FriendAction::Accept).await?;
                anyhow::Ok(())
            });
            if i == 5 {
                let users = w.users.clone();
                tasks.spawn(async move {
                    anyhow::ensure!(users.delete(leaving).await?, "the user was there");
                    anyhow::Ok(())
                });
            }
        }
        for result in tasks.join_all().await {
            assert!(result.is_ok(), "{result:?}");
        }

        for f in ring {
            assert_eq!(suggested(&w, f).await?, w.expected(f).await?);
        }
    }
    Ok(())
}

// ---- deleted users ----

#[tokio::test]
async fn deleting_a_candidate_or_a_friend_does_not_break_pages() -> anyhow::Result<()> {
    let w = World::new().await?;
    let background = w.background_people();
    let (a, b, c, d, e) = (
        w.user("Aiko", "Mori").await?,
        w.user("Ben", "Ito").await?,
        w.user("Chie", "Sato").await?,
        w.user("Daiki", "Ono").await?,
        w.user("Emi", "Abe").await?,
    );
    w.befriend(a, b).await?;
    w.befriend(a, e).await?;
    for x in [c, d] {
        w.befriend(b, x).await?;
    }
    w.befriend(e, d).await?;
    assert_eq!(suggested(&w, a).await?, [(d, 2), (c, 1)]);

    w.delete_user(c).await?;
    // The stored entry of the deleted candidate drops out even before a recomputation.
    let stale = all_suggestions(&background, a, 1).await?;
    assert!(!who(&stale).contains(&c), "{stale:?}");
    assert_eq!(suggested(&w, a).await?, [(d, 2)]);

    w.delete_user(e).await?;
    assert_eq!(
        suggested(&w, a).await?,
        [(d, 1)],
        "one friend in common left"
    );
    w.delete_user(b).await?;
    assert_eq!(suggested(&w, a).await?, []);
    // Deleting a viewer takes their snapshot with them.
    w.delete_user(a).await?;
    assert_eq!(w.snapshot(a).await?, None);
    assert_eq!(suggested(&w, d).await?, []);
    Ok(())
}

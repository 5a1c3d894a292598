//! How the social-graph reads hold up at scale: `just bench` (or `cargo bench -p sakura_postgres`).
//!
//! Seeds a fresh database with `BENCH_USERS` users (default 200,000; the target is 1,000,000),
//! a hub user with `BENCH_FRIENDS` friends (default 5,000), and about three random friendships
//! per user, then times each read through the real adapter: friends pages (first, deep, filtered
//! by name), mutual friends, suggestions (stored, and the recomputation that runs after a change),
//! search of one to three words, and profile cards. It prints
//! p50/p95/max per query against a target of a few milliseconds; it asserts nothing, because
//! speed is measured here, never in tests.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs
)]

use std::time::{Duration, Instant};

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sakura_application::pagination::{Page, PageRequest};
use sakura_application::ports::PeopleDirectory;
use sakura_domain::UserId;
use sakura_postgres::{PgPeopleDirectory, run_migrations};
use sakura_test_services::TestDatabase;

const TARGET: Duration = Duration::from_millis(10);
const RUNS: usize = 50;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn seed(url: &str, users: usize, friends: usize) -> anyhow::Result<(UserId, UserId)> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    let started = Instant::now();
    // Bulk rows skip the per-row triggers (no snapshot exists yet; the name dictionary is
    // filled in bulk below, as the migration does).
    diesel::sql_query("SET session_replication_role = replica")
        .execute(&mut conn)
        .await?;
    // Names from small lists so that search has realistic collisions; ids random.
    diesel::sql_query(format!(
        "INSERT INTO users (id, first_name, last_name, email, email_normalized, password_hash, city, created_at, updated_at)
         SELECT gen_random_uuid(),
                (ARRAY['Aiko','Ren','Hanako','Kenji','Yuki','Sora','Haruto','Mei','Daichi','Emi'])[1 + i % 10],
                (ARRAY['Tanaka','Sato','Suzuki','Takahashi','Watanabe','Ito','Yamamoto','Nakamura','Kobayashi','Kato'])[1 + (i / 10) % 10] || chr(97 + i % 26) || chr(97 + (i / 26) % 26),
                'u' || i || '@bench.example', 'u' || i || '@bench.example', 'x',
                (ARRAY['Kyoto','Osaka','Tokyo','Sapporo','Nagoya','Fukuoka','Kobe','Sendai'])[1 + i % 8],
                now(), now()
         FROM generate_series(1, {users}) AS i"
    ))
    .execute(&mut conn)
    .await?;
    // The hub: the first user, friends with the next `friends` users.
    diesel::sql_query(format!(
        "WITH ranked AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users),
              hub AS (SELECT id FROM ranked WHERE n = 1)
         INSERT INTO friendships (user_a, user_b, state, requested_by, created_at, friends_since)
         SELECT least(hub.id, r.id), greatest(hub.id, r.id), 'friends', hub.id,
                now() - (r.n || ' minutes')::interval, now() - (r.n || ' minutes')::interval
         FROM hub, ranked r WHERE r.n BETWEEN 2 AND {}",
        friends + 1
    ))
    .execute(&mut conn)
    .await?;
    // Background: about three random friendships per user.
    diesel::sql_query(format!(
        "WITH ids AS (SELECT id, row_number() OVER () AS n FROM users),
              pairs AS (SELECT 1 + floor(random() * {users})::int AS a, 1 + floor(random() * {users})::int AS b
                        FROM generate_series(1, {users} * 3))
         INSERT INTO friendships (user_a, user_b, state, requested_by, created_at, friends_since)
         SELECT least(x.id, y.id), greatest(x.id, y.id), 'friends', x.id, now(), now() - random() * interval '1000 days'
         FROM pairs JOIN ids x ON x.n = pairs.a JOIN ids y ON y.n = pairs.b
         WHERE x.id <> y.id
         ON CONFLICT DO NOTHING"
    ))
    .execute(&mut conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO name_words (word)
         SELECT DISTINCT w FROM users, regexp_split_to_table(search_name, '\\s+') AS w
         WHERE w <> '' ORDER BY w",
    )
    .execute(&mut conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO user_name_words (word_id, user_id)
         SELECT DISTINCT n.id, u.id
         FROM users u, regexp_split_to_table(u.search_name, '\\s+') AS w
         JOIN name_words n ON n.word = w",
    )
    .execute(&mut conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO user_name_word_pairs (low_id, high_id, user_id)
         SELECT a.word_id, b.word_id, a.user_id
         FROM user_name_words a JOIN user_name_words b
           ON b.user_id = a.user_id AND a.word_id < b.word_id",
    )
    .execute(&mut conn)
    .await?;
    diesel::sql_query(
        "UPDATE name_words n SET users_count = c.users
         FROM (SELECT word_id, count(*) AS users FROM user_name_words GROUP BY word_id) c
         WHERE c.word_id = n.id",
    )
    .execute(&mut conn)
    .await?;
    diesel::sql_query("SET session_replication_role = DEFAULT")
        .execute(&mut conn)
        .await?;
    // As autovacuum leaves a live database: statistics, and visibility maps for index-only scans.
    diesel::sql_query("VACUUM ANALYZE")
        .execute(&mut conn)
        .await?;
    println!(
        "seeded {users} users, hub with {friends} friends, in {:.1?}",
        started.elapsed()
    );

    #[derive(diesel::QueryableByName)]
    struct Two {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        hub: uuid::Uuid,
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        friend: uuid::Uuid,
    }
    let two: Two = diesel::sql_query(
        "SELECT (SELECT id FROM users ORDER BY email LIMIT 1) AS hub,
                (SELECT id FROM users ORDER BY email OFFSET 1 LIMIT 1) AS friend",
    )
    .get_result(&mut conn)
    .await?;
    Ok((UserId::from_uuid(two.hub), UserId::from_uuid(two.friend)))
}

async fn time<T, F, Fut>(name: &str, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    run().await; // warm the cache and the plan
    let mut samples: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        run().await;
        samples.push(started.elapsed());
    }
    samples.sort();
    let p50 = samples[RUNS / 2];
    let p95 = samples[RUNS * 95 / 100];
    // Recomputing a suggestions snapshot is work beside the pages, not a page.
    let verdict = if name.contains("recomputed") {
        "(not a page)"
    } else if p95 <= TARGET {
        "ok"
    } else {
        "SLOW"
    };
    println!(
        "{name:<42} p50 {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms   {verdict}",
        p50.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        samples[RUNS - 1].as_secs_f64() * 1e3,
    );
}

fn second_page<T>(page: &Page<T>) -> PageRequest {
    PageRequest {
        limit: 20,
        after: page.next,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `cargo test --benches` runs benches as tests with `--bench` absent: skip the heavy work.
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    let users = env_usize("BENCH_USERS", 200_000);
    let friends = env_usize("BENCH_FRIENDS", 5_000);
    let db = TestDatabase::new(run_migrations).await;
    let (hub, friend) = seed(db.url(), users, friends).await?;
    let pool = sakura_postgres::connect(db.url(), 4)?;
    let people = PgPeopleDirectory::new(pool.clone());
    let first = PageRequest::first();

    println!(
        "target: p95 under {} ms per page ({RUNS} runs each)",
        TARGET.as_millis()
    );
    time("friends of the hub, first page", || {
        people.friends(hub, None, first)
    })
    .await;
    let page = people.friends(hub, None, first).await?;
    let mut deep = second_page(&page);
    for _ in 0..50 {
        deep = second_page(&people.friends(hub, None, deep).await?);
    }
    time("friends of the hub, page 50", || {
        people.friends(hub, None, deep)
    })
    .await;
    time("friends of the hub, ?q=tanak", || {
        people.friends(hub, Some("tanak"), first)
    })
    .await;
    time("mutual friends (hub, one of their friends)", || {
        people.mutual_friends(hub, friend, first)
    })
    .await;
    // The first read computes and stores each snapshot; later reads page through it.
    for (name, user) in [("the hub", hub), ("one of the hub's friends", friend)] {
        let started = Instant::now();
        people.suggestions(user, first).await?;
        println!(
            "{:<42} {:>7.2} ms (once)",
            format!("suggestions for {name}, first computation"),
            started.elapsed().as_secs_f64() * 1e3
        );
        time(&format!("suggestions for {name}"), || {
            people.suggestions(user, first)
        })
        .await;
        time(&format!("suggestions for {name}, recomputed"), || async {
            let mut conn = pool.get().await.unwrap();
            diesel::sql_query(
                "UPDATE suggestion_snapshots SET version = version + 1 WHERE user_id = $1",
            )
            .bind::<diesel::sql_types::Uuid, _>(user.as_uuid())
            .execute(&mut conn)
            .await
            .unwrap();
            people.refresh_suggestions(user).await
        })
        .await;
    }
    time("search 'Tnaaka' (one word, typo)", || {
        people.search(friend, "tnaaka", first)
    })
    .await;
    time("search 'tanak' (one word, prefix)", || {
        people.search(friend, "tanak", first)
    })
    .await;
    time("search 'hanako tanaka' (two words)", || {
        people.search(friend, "hanako tanaka", first)
    })
    .await;
    time("search 'hanak tanka' (two words, typos)", || {
        people.search(friend, "hanak tanka", first)
    })
    .await;
    time("search 'hanako ren' (two first names)", || {
        people.search(friend, "hanako ren", first)
    })
    .await;
    time("search 'hanako ren tanaka' (three words)", || {
        people.search(friend, "hanako ren tanaka", first)
    })
    .await;
    let ids: Vec<UserId> = page.items.iter().map(|d| d.user_id).collect();
    time("cards of a 20-user page", || people.cards(hub, &ids)).await;
    Ok(())
}

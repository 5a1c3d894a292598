//! Reading people from PostgreSQL: cards, friend and request lists, search, suggestions.
//!
//! Lists are keyset-paginated on `(key, id) < ($key, $id)` in their own order. Without a cursor
//! they start from a cursor past every row, so each list is one static statement. Timestamp
//! keys are milliseconds: every stored time is written at millisecond precision
//! (`sakura_domain::clock::now`), so a key converts back to exactly the stored value.

use async_trait::async_trait;
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sakura_application::StoreError;
use sakura_application::pagination::{Cursor, Page, PageRequest};
use sakura_application::ports::{Dated, PeopleDirectory, RequestDirection, Suggestion, UserCard};
use sakura_domain::UserId;
use sakura_domain::friends::PairState;
use sakura_domain::users::User;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgPool;
use crate::error;
use crate::schema::{friendships, users};
use crate::social_graph::pair_state;
use crate::users::UserRow;

mod sql;
mod suggestions;

use sql::{
    BLOCKS, MUTUAL_FRIENDS, SEARCH_ALL, SEARCH_NEAREST, SEARCH_TWO_WORDS, SEARCH_WINDOWS,
    SEARCH_WORD, friends_sql, requests_sql,
};

/// How similar a name must be to count as a near match (`<%`); pg_trgm's default of 0.6 misses
/// ordinary typos such as "Tnaaka" for "Tanaka".
const SET_SIMILARITY: &str = "SET LOCAL pg_trgm.word_similarity_threshold = 0.25";

/// Where a list starts when no cursor is given: after every possible row.
const START: Cursor = Cursor {
    key: i64::MAX,
    id: Uuid::max(),
};

/// Milliseconds since the epoch, a cursor key.
fn millis(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The time of a cursor key, clamped to years 1–9999 so that a forged key cannot fail the query.
fn from_millis(key: i64) -> OffsetDateTime {
    const MIN: i64 = -62_135_596_800_000; // 0001-01-01
    const MAX: i64 = 253_402_300_799_999; // 9999-12-31 23:59:59.999
    let nanos = i128::from(key.clamp(MIN, MAX)) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The rows to fetch for `page` (one more than the limit), as SQL wants it.
fn fetch(page: PageRequest) -> i64 {
    i64::try_from(page.fetch()).unwrap_or(i64::MAX)
}

/// `text` made literal inside a LIKE pattern (backslash is PostgreSQL's default escape).
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A search text as `search_name` stores names: trimmed and lower-cased.
fn normalise_query(query: &str) -> String {
    query.trim().to_lowercase()
}

/// A user in a dated list.
#[derive(QueryableByName)]
struct DatedRow {
    #[diesel(sql_type = SqlUuid)]
    user_id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    at: OffsetDateTime,
}

impl From<DatedRow> for Dated {
    fn from(row: DatedRow) -> Self {
        Self {
            user_id: UserId::from_uuid(row.user_id),
            at: row.at,
        }
    }
}

fn dated_page(rows: Vec<DatedRow>, page: PageRequest) -> Page<Dated> {
    let rows = rows.into_iter().map(Dated::from).collect();
    Page::from_rows(rows, page, |d: &Dated| Cursor {
        key: millis(d.at),
        id: d.user_id.as_uuid(),
    })
}

#[derive(QueryableByName)]
struct ScoredRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Float)]
    dist: f32,
    #[diesel(sql_type = diesel::sql_types::Float)]
    sim: f32,
    /// How many candidates the query read.
    #[diesel(sql_type = BigInt)]
    scanned: i64,
    /// The largest distance among them.
    #[diesel(sql_type = Nullable<diesel::sql_types::Float>)]
    edge: Option<f32>,
}

#[derive(QueryableByName)]
struct WordMatchRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Float)]
    dist: f32,
    #[diesel(sql_type = BigInt)]
    word_id: i64,
}

#[derive(QueryableByName)]
struct PairMatchRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Float)]
    score: f32,
    #[diesel(sql_type = BigInt)]
    pair: i64,
}

/// A one- or two-word search cursor's key: the bits of the word's distance (high half) and the word's
/// id (low half; ids are far below 2³²).
fn word_key(dist: f32, word_id: i64) -> i64 {
    let low = u64::try_from(word_id).unwrap_or(0) & u64::from(u32::MAX);
    let bits = (u64::from(dist.max(0.0).to_bits()) << 32) | low;
    i64::try_from(bits).unwrap_or(i64::MAX)
}

/// The distance (or score) and word id (or pair rank) a word search cursor's key stands for.
fn word_key_parts(key: i64) -> (f32, i64) {
    let bits = u64::try_from(key).unwrap_or(0);
    let high = u32::try_from(bits >> 32).unwrap_or(u32::MAX);
    (
        f32::from_bits(high),
        i64::try_from(bits & u64::from(u32::MAX)).unwrap_or(0),
    )
}

/// A search cursor's key: the bits of the distance (high half) and of the similarity (low
/// half). Floats round-trip exactly through their bits, so the next page starts exactly after
/// this one, with no rounding to skip or repeat a row.
fn search_key(dist: f32, sim: f32) -> i64 {
    let bits = (u64::from(dist.max(0.0).to_bits()) << 32) | u64::from(sim.max(0.0).to_bits());
    i64::try_from(bits).unwrap_or(i64::MAX)
}

/// The distance and similarity a search cursor's key stands for.
fn search_key_parts(key: i64) -> (f32, f32) {
    let bits = u64::try_from(key).unwrap_or(0);
    let high = u32::try_from(bits >> 32).unwrap_or(u32::MAX);
    let low = u32::try_from(bits & u64::from(u32::MAX)).unwrap_or(0);
    (f32::from_bits(high), f32::from_bits(low))
}

diesel::define_sql_function! {
    /// The smaller of two uuids.
    fn least(a: SqlUuid, b: SqlUuid) -> SqlUuid;
}

diesel::define_sql_function! {
    /// The larger of two uuids.
    fn greatest(a: SqlUuid, b: SqlUuid) -> SqlUuid;
}

/// A card row: the user, their row with the viewer, blocks both ways, counts, avatar key.
type CardRow = (
    UserRow,
    Option<String>,
    Option<Uuid>,
    bool,
    bool,
    i64,
    i64,
    Option<String>,
);

/// Runs `query` in a transaction with the similarity threshold of name matching set.
async fn with_similarity<T>(
    conn: &mut AsyncPgConnection,
    query: BoxedSqlQuery<'_, Pg, SqlQuery>,
) -> QueryResult<Vec<T>>
where
    T: QueryableByName<Pg> + Send + 'static,
{
    conn.transaction(async move |c| {
        diesel::sql_query(SET_SIMILARITY).execute(c).await?;
        query.load(c).await
    })
    .await
}

/// The people directory on PostgreSQL.
#[derive(Clone)]
pub struct PgPeopleDirectory {
    pool: PgPool,
    /// Suggestion snapshots being recomputed in the background.
    in_flight: suggestions::InFlight,
    /// Friend-of-friend rows above which a snapshot is recomputed in the background.
    sync_work: i64,
}

impl PgPeopleDirectory {
    /// One-word search (`q` lower-cased, not blank), through the dictionary of name words.
    async fn search_word(
        &self,
        viewer: UserId,
        q: String,
        page: PageRequest,
    ) -> Result<Page<UserId>, StoreError> {
        // Without a cursor, start before every row: distances are never negative.
        let (after_dist, after_word, after_id) = match page.after {
            Some(cursor) => {
                let (dist, word) = word_key_parts(cursor.key);
                (dist, word, cursor.id)
            }
            None => (-1.0, 0, Uuid::nil()),
        };
        let query = diesel::sql_query(SEARCH_WORD)
            .into_boxed()
            .bind::<Text, _>(q)
            .bind::<SqlUuid, _>(viewer.as_uuid())
            .bind::<diesel::sql_types::Float, _>(after_dist)
            .bind::<BigInt, _>(after_word)
            .bind::<SqlUuid, _>(after_id)
            .bind::<BigInt, _>(fetch(page));
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<WordMatchRow> = with_similarity(&mut conn, query)
            .await
            .map_err(error::query("search people"))?;
        Ok(Page::from_rows(rows, page, |r| Cursor {
            key: word_key(r.dist, r.word_id),
            id: r.id,
        })
        .map(|r| UserId::from_uuid(r.id)))
    }

    /// Two-word search (both lower-cased), through the dictionary of name words.
    async fn search_two_words(
        &self,
        viewer: UserId,
        first: &str,
        second: &str,
        page: PageRequest,
    ) -> Result<Page<UserId>, StoreError> {
        // Without a cursor, start before every row: scores are never negative.
        let (after_score, after_pair, after_id) = match page.after {
            Some(cursor) => {
                let (score, pair) = word_key_parts(cursor.key);
                (score, pair, cursor.id)
            }
            None => (-1.0, 0, Uuid::nil()),
        };
        let query = diesel::sql_query(SEARCH_TWO_WORDS)
            .into_boxed()
            .bind::<Text, _>(first.to_owned())
            .bind::<Text, _>(second.to_owned())
            .bind::<SqlUuid, _>(viewer.as_uuid())
            .bind::<diesel::sql_types::Float, _>(after_score)
            .bind::<BigInt, _>(after_pair)
            .bind::<SqlUuid, _>(after_id)
            .bind::<BigInt, _>(fetch(page));
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<PairMatchRow> = with_similarity(&mut conn, query)
            .await
            .map_err(error::query("search people"))?;
        Ok(Page::from_rows(rows, page, |r| Cursor {
            key: word_key(r.score, r.pair),
            id: r.id,
        })
        .map(|r| UserId::from_uuid(r.id)))
    }

    /// A directory on `pool`.
    pub fn new(pool: PgPool) -> Self {
        Self {
            pool,
            in_flight: suggestions::InFlight::default(),
            sync_work: suggestions::SYNC_WORK,
        }
    }

    /// The same directory, recomputing suggestion snapshots in the background once the last
    /// computation walked more than `rows` friend-of-friend rows (tests set it low).
    #[must_use]
    pub fn with_background_suggestions_above(mut self, rows: i64) -> Self {
        self.sync_work = rows;
        self
    }

    /// Recomputes `user`'s suggestions snapshot now if it is out of date (the benchmark times
    /// it; pages do it themselves).
    pub async fn refresh_suggestions(&self, user: UserId) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        suggestions::refresh(&mut conn, user.as_uuid()).await
    }
}

#[async_trait]
impl PeopleDirectory for PgPeopleDirectory {
    async fn cards(&self, viewer: UserId, ids: &[UserId]) -> Result<Vec<UserCard>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let viewer_id = viewer.as_uuid();
        let uuids: Vec<Uuid> = ids.iter().map(UserId::as_uuid).collect();
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        // For the viewer's own card both ends are the viewer: no row matches (user_a < user_b).
        let rows: Vec<CardRow> = users::table
            .left_join(
                friendships::table.on(friendships::user_a
                    .eq(least(users::id, viewer_id))
                    .and(friendships::user_b.eq(greatest(users::id, viewer_id)))),
            )
            .filter(users::id.eq_any(&uuids))
            .select((
                UserRow::as_select(),
                friendships::state.nullable(),
                friendships::requested_by.nullable(),
                sql::<Bool>("EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = ")
                    .bind::<SqlUuid, _>(viewer_id)
                    .sql(" AND b.blocked_id = users.id)"),
                sql::<Bool>("EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = users.id AND b.blocked_id = ")
                    .bind::<SqlUuid, _>(viewer_id)
                    .sql(")"),
                sql::<BigInt>("(SELECT count(*) FROM friend_edges e WHERE e.user_id = users.id)"),
                sql::<BigInt>("(SELECT count(*) FROM photos p WHERE p.owner_id = users.id)"),
                sql::<Nullable<Text>>(
                    "(SELECT p.thumbnail_key FROM photos p WHERE p.id = users.avatar_photo_id)",
                ),
            ))
            .load(&mut conn)
            .await
            .map_err(error::query("read user cards"))?;
        let mut cards = Vec::with_capacity(rows.len());
        for (user, state, requested_by, viewer_blocked, blocked_viewer, friends, photos, avatar) in
            rows
        {
            let pair = match (state, requested_by) {
                (Some(state), Some(requested_by)) => pair_state(&state, requested_by)?,
                _ => PairState::None,
            };
            cards.push(UserCard {
                user: User::try_from(user).map_err(StoreError::Other)?,
                pair,
                viewer_blocked,
                blocked_viewer,
                friends_count: u64::try_from(friends).unwrap_or(0),
                photos_count: u64::try_from(photos).unwrap_or(0),
                avatar_key: avatar,
            });
        }
        // In the order asked for; an id asked twice gets its card twice.
        Ok(ids
            .iter()
            .filter_map(|id| cards.iter().find(|card| card.user.id == *id).cloned())
            .collect())
    }

    async fn friends(
        &self,
        owner: UserId,
        name: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        let after = page.after.unwrap_or(START);
        let name = name.map(normalise_query).filter(|q| !q.is_empty());
        let query = diesel::sql_query(friends_sql(name.is_some()))
            .into_boxed()
            .bind::<SqlUuid, _>(owner.as_uuid())
            .bind::<Timestamptz, _>(from_millis(after.key))
            .bind::<SqlUuid, _>(after.id)
            .bind::<BigInt, _>(fetch(page));
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<DatedRow> = match name {
            Some(q) => {
                let escaped = escape_like(&q);
                let query = query.bind::<Text, _>(q).bind::<Text, _>(escaped);
                with_similarity(&mut conn, query).await
            }
            None => query.load(&mut conn).await,
        }
        .map_err(error::query("list friends"))?;
        Ok(dated_page(rows, page))
    }

    async fn mutual_friends(
        &self,
        a: UserId,
        b: UserId,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        let after = page.after.unwrap_or(START);
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<DatedRow> = diesel::sql_query(MUTUAL_FRIENDS)
            .bind::<SqlUuid, _>(a.as_uuid())
            .bind::<Timestamptz, _>(from_millis(after.key))
            .bind::<SqlUuid, _>(after.id)
            .bind::<BigInt, _>(fetch(page))
            .bind::<SqlUuid, _>(b.as_uuid())
            .load(&mut conn)
            .await
            .map_err(error::query("list mutual friends"))?;
        Ok(dated_page(rows, page))
    }

    async fn requests(
        &self,
        me: UserId,
        direction: RequestDirection,
        page: PageRequest,
    ) -> Result<Page<Dated>, StoreError> {
        let after = page.after.unwrap_or(START);
        let sql = requests_sql(direction == RequestDirection::Outgoing);
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<DatedRow> = diesel::sql_query(sql)
            .bind::<SqlUuid, _>(me.as_uuid())
            .bind::<Timestamptz, _>(from_millis(after.key))
            .bind::<SqlUuid, _>(after.id)
            .bind::<BigInt, _>(fetch(page))
            .load(&mut conn)
            .await
            .map_err(error::query("list friend requests"))?;
        Ok(dated_page(rows, page))
    }

    async fn blocks(&self, me: UserId, page: PageRequest) -> Result<Page<Dated>, StoreError> {
        let after = page.after.unwrap_or(START);
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<DatedRow> = diesel::sql_query(BLOCKS)
            .bind::<SqlUuid, _>(me.as_uuid())
            .bind::<Timestamptz, _>(from_millis(after.key))
            .bind::<SqlUuid, _>(after.id)
            .bind::<BigInt, _>(fetch(page))
            .load(&mut conn)
            .await
            .map_err(error::query("list blocks"))?;
        Ok(dated_page(rows, page))
    }

    async fn search(
        &self,
        viewer: UserId,
        query: &str,
        page: PageRequest,
    ) -> Result<Page<UserId>, StoreError> {
        let q = normalise_query(query);
        if q.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        }
        let words: Vec<&str> = q.split_whitespace().collect();
        match words.as_slice() {
            [_] => return self.search_word(viewer, q, page).await,
            [first, second] => {
                return self.search_two_words(viewer, first, second, page).await;
            }
            _ => {}
        }
        // Without a cursor, start before every row: distances are never negative.
        let (after_dist, after_sim, after_id) = match page.after {
            Some(cursor) => {
                let (dist, sim) = search_key_parts(cursor.key);
                (dist, sim, cursor.id)
            }
            None => (-1.0, 0.0, Uuid::nil()),
        };
        let query = |sql: &'static str, window: i64| {
            diesel::sql_query(sql)
                .into_boxed()
                .bind::<Text, _>(q.clone())
                .bind::<SqlUuid, _>(viewer.as_uuid())
                .bind::<diesel::sql_types::Float, _>(after_dist)
                .bind::<diesel::sql_types::Float, _>(-after_sim)
                .bind::<SqlUuid, _>(after_id)
                .bind::<BigInt, _>(fetch(page))
                .bind::<BigInt, _>(window)
        };
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let mut rows = Vec::new();
        let mut exact = false;
        for extra in SEARCH_WINDOWS {
            let window = fetch(page).saturating_add(extra);
            rows = with_similarity(&mut conn, query(SEARCH_NEAREST, window))
                .await
                .map_err(error::query("search people"))?;
            // Exact unless the window was full and the page reaches its farthest distance (or
            // could not fill up): rows tied at that distance may lie beyond it.
            let full = rows
                .as_slice()
                .first()
                .is_some_and(|r: &ScoredRow| r.scanned >= window);
            let at_edge = rows.iter().any(|r| Some(r.dist) == r.edge);
            let short = i64::try_from(rows.len()).unwrap_or(0) < fetch(page);
            if !(full && (at_edge || short)) {
                exact = true;
                break;
            }
        }
        if !exact {
            rows = with_similarity(&mut conn, query(SEARCH_ALL, i64::MAX))
                .await
                .map_err(error::query("search people"))?;
        }
        Ok(Page::from_rows(rows, page, |r| Cursor {
            key: search_key(r.dist, r.sim),
            id: r.id,
        })
        .map(|r| UserId::from_uuid(r.id)))
    }

    async fn suggestions(
        &self,
        viewer: UserId,
        page: PageRequest,
    ) -> Result<Page<Suggestion>, StoreError> {
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let user = viewer.as_uuid();
        suggestions::prepare(&mut conn, &self.pool, &self.in_flight, self.sync_work, user).await?;
        suggestions::page(&mut conn, user, page).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
        assert_eq!(escape_like("tanaka"), "tanaka");
    }

    #[test]
    fn search_keys_round_trip_exactly_and_order_by_distance() {
        for (dist, sim) in [(0.0, 1.0), (0.2857143, 0.27272728), (1.0, 0.0)] {
            assert_eq!(search_key_parts(search_key(dist, sim)), (dist, sim));
        }
        assert!(search_key(0.1, 0.0) < search_key(0.2, 1.0));
    }

    #[test]
    fn word_keys_round_trip_exactly_and_order_by_distance_then_word() {
        for (dist, word) in [(0.0, 1), (0.2857143, 6_770), (1.0, i64::from(u32::MAX))] {
            assert_eq!(word_key_parts(word_key(dist, word)), (dist, word));
        }
        assert!(word_key(0.1, 9_999) < word_key(0.2, 1));
        assert!(word_key(0.1, 1) < word_key(0.1, 2));
    }

    #[test]
    fn a_millisecond_key_round_trips_and_forged_keys_clamp() {
        let now = sakura_domain::clock::now();
        assert_eq!(from_millis(millis(now)), now);
        assert_eq!(from_millis(i64::MAX).year(), 9999);
        assert_eq!(from_millis(i64::MIN).year(), 1);
    }
}

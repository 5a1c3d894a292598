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
    BLOCKS, MAX_SEARCH_WORDS, MUTUAL_FRIENDS, SEARCH_WORD, friends_sql, requests_sql,
    search_words_sql,
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

/// The `max` longest of `words` (the first of equally long ones), in their order.
fn longest_words<'a>(words: &[&'a str], max: usize) -> Vec<&'a str> {
    let mut by_length: Vec<usize> = (0..words.len()).collect();
    by_length.sort_by_key(|&i| std::cmp::Reverse(words[i].chars().count()));
    by_length.truncate(max);
    by_length.sort_unstable();
    by_length.into_iter().map(|i| words[i]).collect()
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

/// A person found by a search, with what the cursor needs: a distance or summed distance, and
/// the word id or the combination's rank.
#[derive(QueryableByName)]
struct WordsMatchRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Float)]
    score: f32,
    #[diesel(sql_type = BigInt)]
    rank: i64,
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
    /// Runs a search statement (`SEARCH_WORD`, or `search_words_sql` for `words.len()`): the
    /// words, then the viewer, the cursor (a score, a rank and an id) and the limit.
    async fn search_words(
        &self,
        sql: &str,
        viewer: UserId,
        words: &[&str],
        page: PageRequest,
    ) -> Result<Page<UserId>, StoreError> {
        // Without a cursor, start before every row: scores are never negative.
        let (after_score, after_rank, after_id) = match page.after {
            Some(cursor) => {
                let (score, rank) = word_key_parts(cursor.key);
                (score, rank, cursor.id)
            }
            None => (-1.0, 0, Uuid::nil()),
        };
        let mut query = diesel::sql_query(sql.to_owned()).into_boxed();
        for word in words {
            query = query.bind::<Text, _>((*word).to_owned());
        }
        let query = query
            .bind::<SqlUuid, _>(viewer.as_uuid())
            .bind::<diesel::sql_types::Float, _>(after_score)
            .bind::<BigInt, _>(after_rank)
            .bind::<SqlUuid, _>(after_id)
            .bind::<BigInt, _>(fetch(page));
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let rows: Vec<WordsMatchRow> = with_similarity(&mut conn, query)
            .await
            .map_err(error::query("search people"))?;
        Ok(Page::from_rows(rows, page, |r| Cursor {
            key: word_key(r.score, r.rank),
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
                presence: Default::default(),
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

    async fn friend_ids(&self, user: UserId) -> Result<Vec<UserId>, StoreError> {
        let me = user.as_uuid();
        let mut conn = self.pool.get().await.map_err(error::pool)?;
        let pairs: Vec<(Uuid, Uuid)> = friendships::table
            .filter(friendships::user_a.eq(me).or(friendships::user_b.eq(me)))
            .filter(friendships::state.eq("friends"))
            .select((friendships::user_a, friendships::user_b))
            .load(&mut conn)
            .await
            .map_err(error::query("list friend ids"))?;
        Ok(pairs
            .into_iter()
            .map(|(a, b)| UserId::from_uuid(if a == me { b } else { a }))
            .collect())
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
        let words: Vec<&str> = q.split_whitespace().collect();
        match words.as_slice() {
            [] => Ok(Page {
                items: Vec::new(),
                next: None,
            }),
            [_] => self.search_words(SEARCH_WORD, viewer, &words, page).await,
            _ => {
                let words = longest_words(&words, MAX_SEARCH_WORDS);
                let sql = search_words_sql(words.len());
                self.search_words(&sql, viewer, &words, page).await
            }
        }
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
    fn long_queries_keep_their_longest_words_in_order() {
        let words = ["maria", "de", "los", "angeles", "garcia"];
        assert_eq!(
            longest_words(&words, 4),
            ["maria", "los", "angeles", "garcia"]
        );
        assert_eq!(longest_words(&["a", "b"], 4), ["a", "b"]);
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

//! The SQL of the people directory, kept apart from the Rust that binds and reads it.
//!
//! Parameters are numbered as each statement's comment says; every list is keyset-paginated on
//! its own order (see the parent module).

/// The users paired with `$1` in `friendships` rows of `state`, newest `time` first, keyset on
/// `($2, $3)`, at most `$4`. `$1` sits on either side of a pair, so there is one branch per side,
/// each ordered and limited on its side's partial index, and a Merge Append reads about one page
/// however many rows `$1` has. (Through the `friend_edges` view, PostgreSQL fetches and sorts all
/// of them.) `condition(other)` adds `AND ...` filters on the other user's id column.
fn paired_sql(state: &str, time: &str, condition: impl Fn(&str) -> String) -> String {
    let branch = |me: &str, other: &str| {
        let extra = condition(&format!("f.{other}"));
        format!(
            "(SELECT f.{other} AS user_id, f.{time} AS at FROM friendships f \
              WHERE f.{me} = $1 AND f.state = '{state}' AND (f.{time}, f.{other}) < ($2, $3) {extra} \
              ORDER BY f.{time} DESC, f.{other} DESC LIMIT $4)"
        )
    };
    format!(
        "SELECT user_id, at FROM ({} UNION ALL {}) p ORDER BY at DESC, user_id DESC LIMIT $4",
        branch("user_a", "user_b"),
        branch("user_b", "user_a"),
    )
}

/// Friends of `$1`, newest friendship first. With a name filter, `$5` is the lower-cased query
/// and `$6` it escaped for LIKE.
pub(super) fn friends_sql(filtered: bool) -> String {
    paired_sql("friends", "friends_since", |friend| {
        if filtered {
            format!(
                "AND EXISTS (SELECT 1 FROM users u WHERE u.id = {friend} \
                   AND (u.search_name LIKE '%' || $6 || '%' OR $5 <% u.search_name))"
            )
        } else {
            String::new()
        }
    })
}

/// Friends of `$1` that are also friends of `$5`, in `$1`'s order, keyset on `($2, $3)`, at most
/// `$4`. Both friend sets are read whole from the side indexes (index-only, a few thousand rows
/// at most) and hash-joined: bounded by the two sets' sizes, where probing each of `$1`'s friends
/// in turn would cost one lookup per friend when few are shared.
pub(super) const MUTUAL_FRIENDS: &str = "\
    WITH fa AS ( \
      SELECT user_b AS id, friends_since FROM friendships WHERE user_a = $1 AND state = 'friends' \
      UNION ALL \
      SELECT user_a, friends_since FROM friendships WHERE user_b = $1 AND state = 'friends' \
    ), fb AS ( \
      SELECT user_b AS id FROM friendships WHERE user_a = $5 AND state = 'friends' \
      UNION ALL \
      SELECT user_a FROM friendships WHERE user_b = $5 AND state = 'friends' \
    ) \
    SELECT fa.id AS user_id, fa.friends_since AS at FROM fa JOIN fb ON fb.id = fa.id \
    WHERE (fa.friends_since, fa.id) < ($2, $3) \
    ORDER BY fa.friends_since DESC, fa.id DESC \
    LIMIT $4";

/// Pending requests of `$1` that the other side (`<>`) or `$1` (`=`) sent, newest first.
pub(super) fn requests_sql(sent_by_me: bool) -> String {
    let op = if sent_by_me { "=" } else { "<>" };
    paired_sql("pending", "created_at", |_| {
        format!("AND f.requested_by {op} $1")
    })
}

pub(super) const BLOCKS: &str = "\
    SELECT blocked_id AS user_id, created_at AS at FROM blocks \
    WHERE blocker_id = $1 AND (created_at, blocked_id) < ($2, $3) \
    ORDER BY created_at DESC, blocked_id DESC \
    LIMIT $4";

/// Two-word name search through the dictionary of name words. `$1`, `$2` the lower-cased words,
/// `$3` the viewer, `$4`, `$5`, `$6` the cursor (a score, a pair rank and a user id), `$7` the
/// limit. Each word's 50 nearest name words (by distance, then id) are ranked 1–50, and "none" is
/// rank 63 with distance 1. A person belongs to the pair of their best word for each query word
/// (or none); pairs are ordered by the sum of their distances (so "Hanako Tanaka" comes first,
/// then a longer or misspelt name, then someone matching only one word), then by rank, and each
/// pair's people by id. For a pair of words the rarer word's people are read and the other word
/// is checked per person; for a word and none, the word's people without any near word for the
/// other. As in [`SEARCH_WORD`], pairs are read in order only until the page is full. The
/// pair rank is `rank1 * 64 + rank2`.
pub(super) const SEARCH_TWO_WORDS: &str = "\
    WITH t1 AS MATERIALIZED ( \
    SELECT id, dist, users_count AS n, row_number() OVER (ORDER BY dist, id) AS r FROM ( \
    SELECT n.id, n.word <->> $1 AS dist, n.users_count FROM name_words n \
    WHERE $1 <% n.word ORDER BY 2, 1 LIMIT 50) x \
    ), t2 AS MATERIALIZED ( \
    SELECT id, dist, users_count AS n, row_number() OVER (ORDER BY dist, id) AS r FROM ( \
    SELECT n.id, n.word <->> $2 AS dist, n.users_count FROM name_words n \
    WHERE $2 <% n.word ORDER BY 2, 1 LIMIT 50) x \
    ), c AS ( \
    SELECT o1.id AS a, o2.id AS b, o1.r AS ra, o2.r AS rb, o1.n AS na, o2.n AS nb, \
    (o1.dist + o2.dist)::real AS score, o1.r * 64 + o2.r AS combo \
    FROM (SELECT id, dist, n, r FROM t1 UNION ALL SELECT 0, 1::real, 0, 63) o1, \
    (SELECT id, dist, n, r FROM t2 UNION ALL SELECT 0, 1::real, 0, 63) o2 \
    WHERE o1.id <> 0 OR o2.id <> 0 \
    ) \
    SELECT p.user_id AS id, c.score, c.combo AS pair \
    FROM (SELECT * FROM c WHERE c.score >= $4 ORDER BY c.score, c.combo) c \
    CROSS JOIN LATERAL ( \
    SELECT x.user_id FROM user_name_words x \
    WHERE x.word_id = CASE WHEN c.a = 0 THEN c.b WHEN c.b = 0 THEN c.a \
    WHEN c.na <= c.nb THEN c.a ELSE c.b END \
    AND (c.score > $4 OR c.combo > $5 OR (c.combo = $5 AND x.user_id > $6)) \
    AND x.user_id <> $3 \
    AND NOT EXISTS (SELECT 1 FROM blocks bl WHERE bl.blocker_id = x.user_id AND bl.blocked_id = $3) \
    AND CASE WHEN c.a = 0 \
    THEN NOT EXISTS (SELECT 1 FROM user_name_words y JOIN t1 ON t1.id = y.word_id \
    WHERE y.user_id = x.user_id) \
    ELSE EXISTS (SELECT 1 FROM user_name_words y WHERE y.word_id = c.a AND y.user_id = x.user_id) \
    AND NOT EXISTS (SELECT 1 FROM user_name_words y JOIN t1 ON t1.id = y.word_id \
    WHERE y.user_id = x.user_id AND t1.r < c.ra) END \
    AND CASE WHEN c.b = 0 \
    THEN NOT EXISTS (SELECT 1 FROM user_name_words y JOIN t2 ON t2.id = y.word_id \
    WHERE y.user_id = x.user_id) \
    ELSE EXISTS (SELECT 1 FROM user_name_words y WHERE y.word_id = c.b AND y.user_id = x.user_id) \
    AND NOT EXISTS (SELECT 1 FROM user_name_words y JOIN t2 ON t2.id = y.word_id \
    WHERE y.user_id = x.user_id AND t2.r < c.rb) END \
    ORDER BY x.user_id \
    LIMIT $7 \
    ) p \
    ORDER BY c.score, c.combo, p.user_id \
    LIMIT $7 ";

/// Name search of several words, exact order. `$1` the lower-cased query, `$2` the viewer, `$3`, `$4`, `$5` the
/// cursor (a word-similarity distance, a negated whole-name score and an id), `$6` the limit.
/// Best match first: by word-similarity distance (an exact name or a prefix such as "tanak" is
/// near 0, a typo such as "tnaaka" about 0.7), then the exact name, then the closer whole name
/// (trigrams alone cannot tell "hanaka tanako" from "hanako tanaka"), then the id.
macro_rules! search_sql {
    ($source:literal) => {
        concat!(
            "SELECT id, dist, sim, (SELECT count(*) FROM near) AS scanned, \
                    (SELECT max(dist) FROM near) AS edge \
             FROM (",
            $source,
            ") AS near_rows \
             WHERE (dist, -sim, id) > ($3, $4, $5) \
             ORDER BY dist, sim DESC, id \
             LIMIT $6"
        )
    };
}

/// The candidates: users matching `$1` (`%>` with the threshold set below), never the viewer
/// or anyone who blocked them, at or after the cursor's distance.
macro_rules! candidates {
    () => {
        "SELECT u.id, u.search_name <->> $1 AS dist, \
                (similarity($1, u.search_name) \
                  + CASE WHEN u.search_name = $1 THEN 1 ELSE 0 END)::real AS sim \
         FROM users u \
         WHERE u.search_name %> $1 AND u.search_name <->> $1 >= $3 AND u.id <> $2 \
           AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $2)"
    };
}

/// The fast path: the `$7` nearest candidates come straight out of the GiST index (a nearest-
/// neighbour scan, which PostgreSQL uses only when ordering by the distance alone), then that
/// small set is ordered exactly. It is exact unless a run of equal distances crosses `$7`; the
/// caller sees that from `scanned` and `edge` and tries a wider window, then [`SEARCH_ALL`].
pub(super) const SEARCH_NEAREST: &str = concat!(
    "WITH near AS (",
    candidates!(),
    " ORDER BY u.search_name <->> $1 LIMIT $7) ",
    search_sql!("SELECT * FROM near")
);

/// The exact path over every candidate (scored and sorted whole).
pub(super) const SEARCH_ALL: &str = concat!(
    "WITH near AS (",
    candidates!(),
    " LIMIT $7) ",
    search_sql!("SELECT * FROM near")
);

/// How many nearest candidates each try reads beyond the page: a little first, then enough for
/// a very common name, then everything.
pub(super) const SEARCH_WINDOWS: [i64; 2] = [200, 5_000];

/// One-word name search through the dictionary of name words (see the `name_words`
/// migration). `$1` the lower-cased word, `$2` the viewer, `$3`, `$4`, `$5` the cursor (a word
/// distance, a word id and a user id), `$6` the limit. The words near `$1` (word similarity: a
/// typo such as "tnaaka" or a prefix such as "tanak" matches "tanaka") are ordered by distance,
/// then id; each word's people are read in id order from the primary key of `user_name_words`,
/// at most a page per word, and the nested loop keeps the words' order, so PostgreSQL reads
/// words only until the page is full. Someone whose name has two matching words is listed under
/// the better one only. Never the viewer or anyone who blocked them.
pub(super) const SEARCH_WORD: &str = "\
    SELECT p.user_id AS id, w.dist, w.id AS word_id \
    FROM ( \
      SELECT n.id, n.word <->> $1 AS dist \
      FROM name_words n \
      WHERE $1 <% n.word AND n.word <->> $1 >= $3 \
      ORDER BY n.word <->> $1, n.id \
    ) w \
    CROSS JOIN LATERAL ( \
      SELECT x.user_id FROM user_name_words x \
      WHERE x.word_id = w.id \
        AND (w.dist > $3 OR w.id > $4 OR (w.id = $4 AND x.user_id > $5)) \
        AND x.user_id <> $2 \
        AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = x.user_id AND b.blocked_id = $2) \
        AND NOT EXISTS ( \
          SELECT 1 FROM user_name_words y JOIN name_words v ON v.id = y.word_id \
          WHERE y.user_id = x.user_id AND y.word_id <> w.id AND $1 <% v.word \
            AND (v.word <->> $1, v.id) < (w.dist, w.id)) \
      ORDER BY x.user_id \
      LIMIT $6 \
    ) p \
    ORDER BY w.dist, w.id, p.user_id \
    LIMIT $6";

/// The candidates `$1` may know through friends, computed whole and stored as `$1`'s snapshot:
/// friends of friends with how many friends they share, minus `$1`, anyone with a friendships
/// row with `$1` (friends or pending) and anyone blocked either way; the best `$2` are stored
/// (most friends in common, then those who show the same city as `$1`, then the id). Answers how
/// many friend-of-friend rows it walked (`work`), how many candidates there were and how many it
/// stored. The friends of friends are read side by side on the partial indexes (through the
/// `friend_edges` view PostgreSQL hash-joins the whole table instead); the exclusions are one
/// small set, hashed once.
pub(super) const SUGGESTIONS_COMPUTE: &str = "\
    WITH me AS (SELECT lower(city) AS city FROM users WHERE id = $1), \
    friends AS ( \
      SELECT user_b AS id FROM friendships WHERE user_a = $1 AND state = 'friends' \
      UNION ALL \
      SELECT user_a FROM friendships WHERE user_b = $1 AND state = 'friends' \
    ), \
    excluded AS ( \
      SELECT id FROM friends \
      UNION ALL SELECT user_b FROM friendships WHERE user_a = $1 AND state = 'pending' \
      UNION ALL SELECT user_a FROM friendships WHERE user_b = $1 AND state = 'pending' \
      UNION ALL SELECT blocked_id FROM blocks WHERE blocker_id = $1 \
      UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = $1 \
      UNION ALL SELECT $1 \
    ), \
    fof AS ( \
      SELECT x.id, count(*) AS mutual \
      FROM friends f CROSS JOIN LATERAL ( \
        SELECT user_b AS id FROM friendships WHERE user_a = f.id AND state = 'friends' \
        UNION ALL \
        SELECT user_a FROM friendships WHERE user_b = f.id AND state = 'friends' \
      ) x \
      GROUP BY x.id \
    ), \
    candidates AS ( \
      SELECT fof.id, fof.mutual, \
             lower(u.city) = (SELECT city FROM me) AND u.privacy_profile = 'everyone' AS same_city \
      FROM fof JOIN users u ON u.id = fof.id \
      WHERE fof.id NOT IN (SELECT id FROM excluded) \
    ), \
    stored AS ( \
      INSERT INTO suggestion_entries (user_id, candidate_id, mutual) \
      SELECT $1, id, mutual FROM candidates \
      ORDER BY mutual DESC, same_city DESC NULLS LAST, id DESC \
      LIMIT $2 \
      RETURNING 1 \
    ) \
    SELECT (SELECT coalesce(sum(mutual), 0) FROM fof)::bigint AS work, \
           (SELECT count(*) FROM candidates) AS candidates, \
           (SELECT count(*) FROM stored) AS stored";

/// A page of `$1`'s suggestions: the stored candidates, and when the snapshot holds every
/// candidate with a friend in common, after them the people of `$1`'s city who share none (only
/// those who show their city to everyone: a suggestion must not reveal a hidden one). Key:
/// `mutual * 2 + same_city`, read live, as are the exclusions, so a page never shows a new
/// friend, a pending request or a block even from a snapshot that is being recomputed. `$2`,
/// `$3` the cursor, `$4` the limit. The city's people are read from `users_city_lower` in id
/// order and stop at the page size, so a big city costs a page, not a sort of everyone in it.
pub(super) const SUGGESTIONS_PAGE: &str = "\
    WITH me AS (SELECT lower(city) AS city FROM users WHERE id = $1), \
    stored AS ( \
      SELECT e.candidate_id AS id, e.mutual::bigint AS mutual, \
             e.mutual * 2 \
               + CASE WHEN lower(u.city) = (SELECT city FROM me) AND u.privacy_profile = 'everyone' \
                      THEN 1 ELSE 0 END AS key \
      FROM suggestion_entries e JOIN users u ON u.id = e.candidate_id \
      WHERE e.user_id = $1 \
        AND NOT EXISTS (SELECT 1 FROM friendships f \
                        WHERE f.user_a = least($1, e.candidate_id) \
                          AND f.user_b = greatest($1, e.candidate_id)) \
        AND NOT EXISTS (SELECT 1 FROM blocks b \
                        WHERE (b.blocker_id = $1 AND b.blocked_id = e.candidate_id) \
                           OR (b.blocker_id = e.candidate_id AND b.blocked_id = $1)) \
    ), \
    same_city AS ( \
      SELECT u.id, 0::bigint AS mutual, 1::bigint AS key FROM users u \
      WHERE (SELECT complete FROM suggestion_snapshots WHERE user_id = $1) \
        AND lower(u.city) = (SELECT city FROM me) AND u.privacy_profile = 'everyone' \
        AND u.id <> $1 \
        AND (1 < $2 OR (1 = $2 AND u.id < $3)) \
        AND NOT EXISTS (SELECT 1 FROM suggestion_entries e \
                        WHERE e.user_id = $1 AND e.candidate_id = u.id) \
        AND NOT EXISTS (SELECT 1 FROM friendships f \
                        WHERE f.user_a = least($1, u.id) AND f.user_b = greatest($1, u.id)) \
        AND NOT EXISTS (SELECT 1 FROM blocks b \
                        WHERE (b.blocker_id = $1 AND b.blocked_id = u.id) \
                           OR (b.blocker_id = u.id AND b.blocked_id = $1)) \
      ORDER BY u.id DESC \
      LIMIT $4 \
    ) \
    SELECT id, mutual, key FROM (SELECT * FROM stored UNION ALL SELECT * FROM same_city) r \
    WHERE (key, id) < ($2, $3) \
    ORDER BY key DESC, id DESC \
    LIMIT $4";

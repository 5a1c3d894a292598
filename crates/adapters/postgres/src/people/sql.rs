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

/// The most query words a search uses: a longer query keeps its longest words, in their order.
pub(super) const MAX_SEARCH_WORDS: usize = 4;

/// Name search of 2–4 words (`n`) through the dictionary of name words. `$1`…`$n` the
/// lower-cased words, then the viewer, the cursor (a score, a rank and a user id) and the limit.
///
/// Each query word keeps its nearest name words (by distance, then id; 50 for two words, 13 for
/// three, 6 for four, so that there are at most a few thousand combinations), ranked from 1, and
/// "none" as rank 63 with distance 1. A person belongs to the combination of their best name word
/// for each query word (or none); combinations are ordered by the sum of their distances (so
/// "Hanako Tanaka" comes first, then longer or misspelt names, then people matching fewer of the
/// words), then by rank (`r1·64ⁿ⁻¹ + … + rn`), and each combination's people by id. A
/// combination's people are read from its word's list, or from the pair list of its two rarest
/// words (`users_count`), and the other words are checked per person (one primary-key probe
/// each: `OFFSET 0` keeps PostgreSQL from turning that check into a hash of all of the word's
/// people, rebuilt for every combination). As in
/// [`SEARCH_WORD`], combinations are read in order only until the page is full. Never the viewer
/// or anyone who blocked them.
pub(super) fn search_words_sql(n: usize) -> String {
    let keep = match n {
        0..=2 => 50,
        3 => 13,
        _ => 6,
    };
    let tokens = 1..=n;
    let (viewer, score, rank, user, limit) = (n + 1, n + 2, n + 3, n + 4, n + 5);
    let nearest = tokens
        .clone()
        .map(|i| {
            format!(
                "t{i} AS MATERIALIZED ( \
                   SELECT id, dist, users_count AS n, row_number() OVER (ORDER BY dist, id) AS r \
                   FROM (SELECT w.id, w.word <->> ${i} AS dist, w.users_count FROM name_words w \
                         WHERE ${i} <% w.word ORDER BY 2, 1 LIMIT {keep}) x)"
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let columns = tokens
        .clone()
        .map(|i| format!("o{i}.id AS a{i}, o{i}.r AS r{i}, o{i}.n AS n{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let score_sum = tokens
        .clone()
        .map(|i| format!("o{i}.dist"))
        .collect::<Vec<_>>()
        .join(" + ");
    let rank_expr = tokens
        .clone()
        .skip(1)
        .fold("o1.r".to_owned(), |acc, i| format!("({acc}) * 64 + o{i}.r"));
    let sources = tokens
        .clone()
        .map(|i| {
            format!("(SELECT id, dist, n, r FROM t{i} UNION ALL SELECT 0, 1::real, 0, 63) o{i}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let some_word = tokens
        .clone()
        .map(|i| format!("o{i}.id <> 0"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let candidates = tokens
        .clone()
        .map(|i| format!("(c.a{i}, c.n{i})"))
        .collect::<Vec<_>>()
        .join(", ");
    let checks = tokens
        .map(|i| {
            format!(
                "AND CASE WHEN c.a{i} = 0 \
                   THEN NOT EXISTS (SELECT 1 FROM user_name_words y JOIN t{i} ON t{i}.id = y.word_id \
                                    WHERE y.user_id = x.user_id) \
                   ELSE EXISTS (SELECT 1 FROM user_name_words y \
                                WHERE y.word_id = c.a{i} AND y.user_id = x.user_id OFFSET 0) \
                    AND NOT EXISTS (SELECT 1 FROM user_name_words y JOIN t{i} ON t{i}.id = y.word_id \
                                    WHERE y.user_id = x.user_id AND t{i}.r < c.r{i}) END"
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    // The people of a combination: with one distinct word, from that word's list; with two or
    // more, from the pair list of its two rarest words (exactly those who have both, in id order,
    // where reading the rarer word's people to find the few with the other could read a great
    // many for nothing: "hanako ren" are two first names). The rest is checked per person.
    let people = |table: &str, key: &str| {
        format!(
            "(SELECT x.user_id FROM {table} x \
              WHERE {key} \
                AND (c.score > ${score} OR c.rank > ${rank} OR (c.rank = ${rank} AND x.user_id > ${user})) \
                AND x.user_id <> ${viewer} \
                AND NOT EXISTS (SELECT 1 FROM blocks b \
                                WHERE b.blocker_id = x.user_id AND b.blocked_id = ${viewer}) \
                {checks} \
              ORDER BY x.user_id \
              LIMIT ${limit})"
        )
    };
    let one_word = people(
        "user_name_words",
        "cardinality(d.ids) = 1 AND x.word_id = d.ids[1]",
    );
    let two_words = people(
        "user_name_word_pairs",
        "cardinality(d.ids) >= 2 AND x.low_id = least(d.ids[1], d.ids[2]) \
         AND x.high_id = greatest(d.ids[1], d.ids[2])",
    );
    format!(
        "WITH {nearest}, \
         c AS (SELECT {columns}, ({score_sum})::real AS score, {rank_expr} AS rank \
               FROM {sources} WHERE {some_word}) \
         SELECT p.user_id AS id, c.score, c.rank FROM \
           (SELECT * FROM c WHERE c.score >= ${score} ORDER BY c.score, c.rank) c \
         CROSS JOIN LATERAL ( \
           SELECT array_agg(id ORDER BY n, id) AS ids \
           FROM (SELECT DISTINCT id, n FROM (VALUES {candidates}) AS v (id, n) WHERE id <> 0) w \
         ) d \
         CROSS JOIN LATERAL ( \
           SELECT user_id FROM ({one_word} UNION ALL {two_words}) x \
           ORDER BY user_id \
           LIMIT ${limit}) p \
         ORDER BY c.score, c.rank, p.user_id \
         LIMIT ${limit}"
    )
}

/// One-word name search through the dictionary of name words (see the `name_words`
/// migration), answering each person's `score` and `rank` (the word's distance and id) as
/// [`search_words_sql`] does. `$1` the lower-cased word, `$2` the viewer, `$3`, `$4`, `$5` the cursor (a word
/// distance, a word id and a user id), `$6` the limit. The words near `$1` (word similarity: a
/// typo such as "tnaaka" or a prefix such as "tanak" matches "tanaka") are ordered by distance,
/// then id; each word's people are read in id order from the primary key of `user_name_words`,
/// at most a page per word, and the nested loop keeps the words' order, so PostgreSQL reads
/// words only until the page is full. Someone whose name has two matching words is listed under
/// the better one only. Never the viewer or anyone who blocked them.
pub(super) const SEARCH_WORD: &str = "\
    SELECT p.user_id AS id, w.dist AS score, w.id AS rank \
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

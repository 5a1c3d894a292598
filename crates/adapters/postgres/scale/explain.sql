-- EXPLAIN ANALYZE of the messenger's reads on the data of load.sql, as PgChatStore sends them
-- (with the parameters written in). Run twice; the second run shows the warm cache:
--   psql -h 127.0.0.1 -U postgres -d sakura_scale -f crates/adapters/postgres/scale/explain.sql

\echo '== GET /chats, first page, for a member of 1,001 chats'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT c.id, c.updated_at, c.last_message_id, cm.history_from,
       CASE WHEN c.last_message_id IS NULL OR c.last_message_id <= cm.last_read_id THEN 0
       ELSE (SELECT count(*) FROM messages u WHERE u.chat_id = cm.chat_id
             AND u.id > cm.last_read_id AND u.deleted_at IS NULL AND u.sender_id <> cm.user_id) END
FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
WHERE cm.user_id = user_id(1) AND (c.updated_at, c.id) < ('infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff')
ORDER BY c.updated_at DESC, c.id DESC LIMIT 21;

\echo '== history: the newest page of the chat of 1,000,000 messages'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT m.chat_id, m.id, m.text, r.id FROM messages m
LEFT JOIN messages r ON r.chat_id = m.chat_id AND r.id = m.reply_to_id
WHERE m.chat_id = chat_id(0) AND m.id > '00000000-0000-0000-0000-000000000000'
  AND m.id < 'ffffffff-ffff-ffff-ffff-ffffffffffff' ORDER BY m.id DESC LIMIT 21;

\echo '== history: a page half way down the chat of 1,000,000 messages'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT m.chat_id, m.id, m.text, r.id FROM messages m
LEFT JOIN messages r ON r.chat_id = m.chat_id AND r.id = m.reply_to_id
WHERE m.chat_id = chat_id(0) AND m.id > '00000000-0000-0000-0000-000000000000'
  AND m.id < mid(0, 500000) ORDER BY m.id DESC LIMIT 21;

\echo '== unread total (1,200 unread in 11 chats of 1,001)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT coalesce(sum(
       CASE WHEN c.last_message_id IS NULL OR c.last_message_id <= cm.last_read_id THEN 0
       ELSE (SELECT count(*) FROM messages u WHERE u.chat_id = cm.chat_id
             AND u.id > cm.last_read_id AND u.deleted_at IS NULL AND u.sender_id <> cm.user_id) END
       ), 0)::bigint
FROM chat_members cm JOIN chats c ON c.id = cm.chat_id WHERE cm.user_id = user_id(1);

-- Search, step 1 (the walk) then step 2 (GIN, older than where the walk stopped), in all my
-- chats or in one ($2).
SET plan_cache_mode = force_custom_plan;
PREPARE walk(tsquery, uuid) AS
WITH walk AS MATERIALIZED (
    SELECT m.chat_id, m.id, m.search FROM messages m
    WHERE m.search IS NOT NULL AND m.id < 'ffffffff-ffff-ffff-ffff-ffffffffffff'
      AND m.id > '00000000-0000-0000-0000-000000000000' AND ($2 IS NULL OR m.chat_id = $2)
    ORDER BY CASE WHEN $2 IS NULL THEN NULL ELSE m.chat_id END DESC, m.id DESC LIMIT 1000)
(SELECT w.chat_id, w.id, cm.history_from FROM walk w
 JOIN chat_members cm ON cm.chat_id = w.chat_id AND cm.user_id = user_id(1)
 WHERE w.id > cm.history_from AND w.search @@ $1 ORDER BY w.id DESC LIMIT 21)
UNION ALL
(SELECT NULL, id, NULL FROM walk WHERE (SELECT count(*) FROM walk) = 1000 ORDER BY id LIMIT 1);
PREPARE gin(tsquery, uuid) AS
SELECT m.chat_id, m.id, cm.history_from FROM messages m
JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = user_id(1)
WHERE m.search @@ $1 AND m.id > cm.history_from AND m.id < 'ffffffff-ffff-ffff-ffff-ffffffffffff'
  AND ($2 IS NULL OR m.chat_id = $2)
ORDER BY m.id DESC LIMIT 21;

\echo '== search all my chats, a word in every message: walk'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE walk('hello', NULL);
\echo '== search the chat of 1,000,000 messages, a word in every message: walk'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE walk('hello', chat_id(0));

\echo '== search all my chats, a word in one message of 10,000: walk, then GIN'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE walk('w123', NULL);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE gin('w123', NULL);
\echo '== search the chat of 1,000,000 messages, the same word: walk, then GIN'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE walk('w123', chat_id(0));
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE gin('w123', chat_id(0));

\echo '== search all my chats, a prefix (w12, w120.., w1200..: one message in 900): walk, then GIN'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE walk('w12:*', NULL);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE gin('w12:*', NULL);

\echo '== search all my chats, a word only in a chat I am not in: walk, then GIN'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE walk('t5000', NULL);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE gin('t5000', NULL);

\echo '== search all my chats, a chat word and a prefix (a few matches in a small chat): walk, then GIN'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE walk('t500 & w77:*', NULL);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE gin('t500 & w77:*', NULL);

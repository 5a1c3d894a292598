-- The messenger at scale: 10,000,000 messages, for EXPLAIN ANALYZE of the messenger's reads
-- (see explain.sql). Run on an empty database that has the migrations applied:
--
--   createdb -h 127.0.0.1 -U postgres sakura_scale
--   for f in migrations/*/up.sql; do psql -h 127.0.0.1 -U postgres -d sakura_scale -q -f "$f"; done
--   psql -h 127.0.0.1 -U postgres -d sakura_scale -f crates/adapters/postgres/scale/load.sql
--
-- Shape: user 1 is in 1,001 chats — chat 0, a group of 11 with 1,000,000 messages, and 1,000
-- direct chats of 1,000 messages each — and has 1,200 unread messages in 11 of them. Groups
-- 1001..9000 of five other people hold 1,000 messages each. Every message reads
-- 'hello wN tC': 'hello' is in every message, wN in one in 10,000, tC in every message of chat C.
-- Ids are UUIDv7-shaped and spread over the same 11 days in every chat, so the chats interleave
-- in time as real ones do, and are stored in that order. The message indexes are dropped for the load and made again after
-- (keep them in step with the migrations).
\timing on
SET maintenance_work_mem = '512MB';
TRUNCATE users, chats CASCADE;

CREATE OR REPLACE FUNCTION fake_v7(ms bigint, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT (lpad(to_hex(ms), 12, '0') || '7' || lpad(to_hex(n % 4096), 3, '0')
            || '8' || lpad(to_hex(n / 4096), 15, '0'))::uuid
$$;
CREATE OR REPLACE FUNCTION user_id(n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT fake_v7(1690000000000 + n, n)
$$;
CREATE OR REPLACE FUNCTION chat_id(c bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT fake_v7(1695000000000 + c, c)
$$;
CREATE OR REPLACE FUNCTION chat_size(c bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN c = 0 THEN 1000000 ELSE 1000 END
$$;
-- Message i of chat c.
CREATE OR REPLACE FUNCTION mid(c bigint, i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT fake_v7(1700000000000 + i * (1000000000 / chat_size(c)) + c, c * 1000000 + i)
$$;

INSERT INTO users (id, first_name, last_name, email, email_normalized, password_hash)
SELECT user_id(n), 'First' || n, 'Last' || n, 'user' || n || '@scale.test', 'user' || n || '@scale.test', 'x'
FROM generate_series(1, 50000) n;

INSERT INTO chats (id, kind, title, creator_id, direct_low, direct_high, last_message_id,
                   created_at, updated_at)
SELECT chat_id(c),
       CASE WHEN c BETWEEN 1 AND 1000 THEN 'direct' ELSE 'group' END,
       CASE WHEN c BETWEEN 1 AND 1000 THEN NULL ELSE 'Group ' || c END,
       CASE WHEN c = 0 THEN user_id(1) WHEN c > 1000 THEN user_id(1002 + (c * 5) % 40000) END,
       CASE WHEN c BETWEEN 1 AND 1000 THEN least(user_id(1), user_id(1 + c)) END,
       CASE WHEN c BETWEEN 1 AND 1000 THEN greatest(user_id(1), user_id(1 + c)) END,
       mid(c, chat_size(c) - 1),
       to_timestamp(1695000000 + c),
       to_timestamp((1700000000000 + (chat_size(c) - 1) * (1000000000 / chat_size(c)) + c) / 1000.0)
FROM generate_series(0, 9000) c;

-- Memberships: chat 0 has users 1..11, direct chat c users 1 and 1 + c, group c five users.
INSERT INTO chat_members (chat_id, user_id, joined_at, history_from, last_read_id)
SELECT chat_id(0), user_id(u), to_timestamp(1695000000), '00000000-0000-0000-0000-000000000000'::uuid,
       '00000000-0000-0000-0000-000000000000'::uuid
FROM generate_series(1, 11) u
UNION ALL
SELECT chat_id(c), user_id(u), to_timestamp(1695000000), '00000000-0000-0000-0000-000000000000'::uuid,
       '00000000-0000-0000-0000-000000000000'::uuid
FROM generate_series(1, 1000) c, LATERAL (VALUES (1), (1 + c)) AS p(u)
UNION ALL
SELECT chat_id(c), user_id(1002 + (c * 5 + j) % 40000), to_timestamp(1695000000),
       '00000000-0000-0000-0000-000000000000'::uuid, '00000000-0000-0000-0000-000000000000'::uuid
FROM generate_series(1001, 9000) c, generate_series(0, 4) j;

-- User 1 has read everything but the last 200 of chat 0 and the last 100 of chats 1..10.
UPDATE chat_members SET last_read_id = mid(c.n, chat_size(c.n) - 1 - CASE
        WHEN c.n = 0 THEN 200 WHEN c.n <= 10 THEN 100 ELSE 0 END)
FROM generate_series(0, 1000) c(n)
WHERE chat_members.chat_id = chat_id(c.n) AND chat_members.user_id = user_id(1);

ALTER TABLE message_photos DROP CONSTRAINT IF EXISTS message_photos_chat_id_message_id_fkey;
ALTER TABLE message_reactions DROP CONSTRAINT IF EXISTS message_reactions_chat_id_message_id_fkey;
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_chat_id_reply_to_id_fkey;
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_chat_id_fkey;
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_pkey;
DROP INDEX IF EXISTS messages_client_id, messages_unread, messages_search, messages_recent;

INSERT INTO messages (chat_id, id, sender_id, text, created_at, search)
SELECT chat_id(c), mid(c, i),
       CASE WHEN c = 0 THEN user_id(1 + i % 11)
            WHEN c <= 1000 THEN CASE WHEN i % 2 = 0 THEN user_id(1) ELSE user_id(1 + c) END
            ELSE user_id(1002 + (c * 5 + i % 5) % 40000) END,
       'hello w' || w || ' t' || c,
       to_timestamp((1700000000000 + i * (1000000000 / chat_size(c)) + c) / 1000.0),
       array_to_tsvector(ARRAY['hello', 'w' || w, 't' || c])
FROM generate_series(0, 9000) c,
     LATERAL generate_series(0, chat_size(c) - 1) i,
     LATERAL (SELECT (i * 7919 + c * 104729) % 10000 AS w) words
-- In the order they would have arrived, as the heap of a real messenger holds them.
ORDER BY 2;

ALTER TABLE messages ADD PRIMARY KEY (chat_id, id);
ALTER TABLE messages ADD FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE;
ALTER TABLE messages ADD FOREIGN KEY (chat_id, reply_to_id) REFERENCES messages (chat_id, id);
ALTER TABLE message_photos ADD FOREIGN KEY (chat_id, message_id)
    REFERENCES messages (chat_id, id) ON DELETE CASCADE;
ALTER TABLE message_reactions ADD FOREIGN KEY (chat_id, message_id)
    REFERENCES messages (chat_id, id) ON DELETE CASCADE;
CREATE UNIQUE INDEX messages_client_id ON messages (chat_id, sender_id, client_id)
    WHERE client_id IS NOT NULL;
CREATE INDEX messages_unread ON messages (chat_id, id) INCLUDE (sender_id)
    WHERE deleted_at IS NULL;
CREATE INDEX messages_search ON messages USING gin (search, chat_id)
    WHERE search IS NOT NULL;
CREATE INDEX messages_recent ON messages (id) WHERE search IS NOT NULL;
VACUUM ANALYZE;

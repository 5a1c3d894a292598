-- The social graph: friendships, blocks, notifications, and name search.

-- Trigram matching for typo-tolerant name search ("Tnaaka" finds "Tanaka").
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- What name search matches against: one lower-cased string per user.
ALTER TABLE users
    ADD COLUMN search_name text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED;

-- Search: `q <% search_name` (word similarity) and ILIKE both use this GIN trigram index, so a
-- search touches only candidate rows, not a million users.
CREATE INDEX users_search_name_trgm ON users USING gin (search_name gin_trgm_ops);

-- Suggestions rank by shared city; lower() so "Kyoto" and "kyoto" agree.
CREATE INDEX users_city_lower ON users (lower(city)) WHERE city IS NOT NULL;

-- One row per unordered pair (user_a < user_b): a pending request or a friendship. Every
-- transition updates this row under a row lock, and the primary key makes two concurrent
-- requests between the same pair collide instead of creating two friendships.
CREATE TABLE friendships (
    user_a       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_b       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state        text NOT NULL CHECK (state IN ('pending', 'friends')),
    requested_by uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    -- When the request was accepted; the friends list is ordered by it.
    friends_since timestamptz,
    PRIMARY KEY (user_a, user_b),
    CHECK (user_a < user_b),
    CHECK (requested_by IN (user_a, user_b)),
    CHECK ((state = 'friends') = (friends_since IS NOT NULL))
);

-- Friends of X, newest friendship first, keyset-paginated: X can sit on either side of the pair,
-- so each side has its own partial index in list order; the two scans merge (Merge Append).
-- They also serve friend counts, mutual friends and friends-of-friends for suggestions.
CREATE INDEX friendships_a_friends ON friendships (user_a, friends_since DESC, user_b)
    WHERE state = 'friends';
CREATE INDEX friendships_b_friends ON friendships (user_b, friends_since DESC, user_a)
    WHERE state = 'friends';
-- Pending requests of X in either direction, newest first.
CREATE INDEX friendships_a_pending ON friendships (user_a, created_at DESC) WHERE state = 'pending';
CREATE INDEX friendships_b_pending ON friendships (user_b, created_at DESC) WHERE state = 'pending';

-- Each friendship seen from both sides: (user_id, friend_id). A view, not a second copy, so
-- there is one source of truth; PostgreSQL pushes `user_id = $1` into both branches and uses the
-- partial indexes above.
CREATE VIEW friend_edges AS
    SELECT user_a AS user_id, user_b AS friend_id, friends_since FROM friendships WHERE state = 'friends'
    UNION ALL
    SELECT user_b AS user_id, user_a AS friend_id, friends_since FROM friendships WHERE state = 'friends';

-- Who blocked whom. The primary key answers "did X block Y"; the second index answers
-- "who blocked me" (search and suggestions exclude them).
CREATE TABLE blocks (
    blocker_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);
-- My blocks list, newest first.
CREATE INDEX blocks_blocker_recent ON blocks (blocker_id, created_at DESC);

-- Notifications, one row per recipient with its own read flag.
CREATE TABLE notifications (
    id           uuid PRIMARY KEY,
    recipient_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    actor_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('friend_request', 'friend_accepted', 'post_liked', 'post_commented', 'chat_added')),
    subject_type text NOT NULL,
    subject_id   uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    read_at      timestamptz
);
-- My notifications newest first (ids are time-ordered v7), keyset on id.
CREATE INDEX notifications_recipient ON notifications (recipient_id, id DESC);
-- The unread badge and `?unread=true`: only unread rows are indexed, so it stays small.
CREATE INDEX notifications_unread ON notifications (recipient_id, id DESC) WHERE read_at IS NULL;

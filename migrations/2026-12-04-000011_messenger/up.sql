-- The messenger: chats, their members, messages with photos and reactions.
--
-- Messages are keyed by (chat_id, id) and read only by chat, so the table can be partitioned
-- by a hash of chat_id without changing a query. Within a chat, ids are made while the chat's
-- row is locked, each greater than the chat's last (see PgChatStore), so the id order is the
-- commit order: history keysets, read markers and "since I joined" compare ids.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE chats (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('direct', 'group')),
    title           text CHECK (char_length(title) BETWEEN 1 AND 100),
    creator_id      uuid REFERENCES users (id) ON DELETE SET NULL,
    -- A direct chat's pair, in uuid order: the unique key makes it one chat per pair, whoever
    -- opens it and however many open it at once.
    direct_low      uuid REFERENCES users (id) ON DELETE CASCADE,
    direct_high     uuid REFERENCES users (id) ON DELETE CASCADE,
    -- The newest message: new ids must be greater; lastMessage reads it.
    last_message_id uuid,
    created_at      timestamptz NOT NULL,
    -- The last message or change: GET /chats sorts on it.
    updated_at      timestamptz NOT NULL,
    CONSTRAINT chats_direct_pair UNIQUE (direct_low, direct_high),
    CHECK ((kind = 'direct') = (direct_low IS NOT NULL AND direct_high IS NOT NULL)),
    CHECK (kind = 'group' OR (title IS NULL AND creator_id IS NULL)),
    CHECK (direct_low < direct_high)
);

CREATE TABLE chat_members (
    chat_id      uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at    timestamptz NOT NULL,
    -- The member sees the messages with ids above this one (the chat's last message when they
    -- last joined; the nil uuid for the whole history).
    history_from uuid NOT NULL,
    -- The read marker: everything up to this id is read. Never below history_from.
    last_read_id uuid NOT NULL,
    PRIMARY KEY (chat_id, user_id),
    CHECK (last_read_id >= history_from)
);
-- My chats (GET /chats, the unread total), and the chats I share with someone.
CREATE INDEX chat_members_user ON chat_members (user_id, chat_id);

CREATE TABLE messages (
    chat_id     uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    -- No foreign key: a message outlives its sender's account as a deleted marker.
    sender_id   uuid NOT NULL,
    text        text CHECK (char_length(text) BETWEEN 1 AND 4000),
    client_id   text CHECK (char_length(client_id) BETWEEN 1 AND 64),
    reply_to_id uuid,
    created_at  timestamptz NOT NULL,
    edited_at   timestamptz,
    deleted_at  timestamptz,
    -- Search terms (sakura_domain::chats::search), NULL once deleted.
    search      tsvector,
    PRIMARY KEY (chat_id, id),
    FOREIGN KEY (chat_id, reply_to_id) REFERENCES messages (chat_id, id),
    CHECK (deleted_at IS NULL OR (text IS NULL AND search IS NULL))
);
-- A send is idempotent per sender and chat: a retry finds the first message by its client id,
-- and two racing retries cannot both insert.
CREATE UNIQUE INDEX messages_client_id ON messages (chat_id, sender_id, client_id)
    WHERE client_id IS NOT NULL;
-- Unread counts: the live messages after a read marker, with their sender, read from the index
-- alone (an index-only range scan costs what is unread, not the history's length).
CREATE INDEX messages_unread ON messages (chat_id, id) INCLUDE (sender_id)
    WHERE deleted_at IS NULL;
-- Search (see PgChatStore's search module for how the two are used): terms are words cut at
-- Unicode word boundaries, and each character and pair of neighbouring characters in scripts
-- written without spaces, stored as a `tsvector` of exact lexemes (array_to_tsvector: no
-- stemming, no stop words — it cannot know a message's language), so `:*` prefixes work in any
-- script.
-- - For rare terms, one GIN index over the terms and the chat (btree_gin): a search in one chat
--   intersects the chat's entries with the terms' inside the index; over all my chats it finds
--   the term's few messages and keeps those in my chats.
-- - For common terms, a GIN index would hand over millions of matches to sort by time: instead
--   the newest searchable messages are walked backwards, by chat (the primary key) or over
--   every chat (this btree on the id, which rises with time), a bounded number of them, keeping
--   the matches — a common term fills a page within a few hundred.
CREATE INDEX messages_search ON messages USING gin (search, chat_id)
    WHERE search IS NOT NULL;
CREATE INDEX messages_recent ON messages (id) WHERE search IS NOT NULL;

CREATE TABLE message_photos (
    chat_id    uuid NOT NULL,
    message_id uuid NOT NULL,
    position   smallint NOT NULL CHECK (position BETWEEN 0 AND 9),
    photo_id   uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id, position),
    FOREIGN KEY (chat_id, message_id) REFERENCES messages (chat_id, id) ON DELETE CASCADE
);
CREATE INDEX message_photos_photo ON message_photos (photo_id);

CREATE TABLE message_reactions (
    chat_id    uuid NOT NULL,
    message_id uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      text NOT NULL CHECK (char_length(emoji) BETWEEN 1 AND 16),
    reacted_at timestamptz NOT NULL,
    -- One reaction per member and message: a new one replaces it.
    PRIMARY KEY (chat_id, message_id, user_id),
    FOREIGN KEY (chat_id, message_id) REFERENCES messages (chat_id, id) ON DELETE CASCADE
);
CREATE INDEX message_reactions_user ON message_reactions (user_id);

-- Photos: metadata here, bytes in the blob store under random keys (see BlobStore).
CREATE TABLE photos (
    id                 uuid PRIMARY KEY,
    owner_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    original_key       text NOT NULL UNIQUE,
    original_type      text NOT NULL,
    original_width     integer NOT NULL CHECK (original_width > 0),
    original_height    integer NOT NULL CHECK (original_height > 0),
    original_size      bigint NOT NULL CHECK (original_size > 0),
    thumbnail_key      text NOT NULL UNIQUE,
    thumbnail_type     text NOT NULL,
    thumbnail_width    integer NOT NULL CHECK (thumbnail_width > 0),
    thumbnail_height   integer NOT NULL CHECK (thumbnail_height > 0),
    thumbnail_size     bigint NOT NULL CHECK (thumbnail_size > 0),
    caption            text CHECK (char_length(caption) <= 2000),
    created_at         timestamptz NOT NULL
);

-- A user's photos newest first (ids are time-ordered v7), keyset on id; also their count.
CREATE INDEX photos_owner_recent ON photos (owner_id, id DESC);

-- The avatar is one of the user's own photos. Deleting that photo clears it (the adapter does so
-- in the same transaction; ON DELETE SET NULL is the backstop).
ALTER TABLE users ADD COLUMN avatar_photo_id uuid REFERENCES photos (id) ON DELETE SET NULL;

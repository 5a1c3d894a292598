-- Users: the system of record for accounts, profiles and settings.
-- Settings live on the row (one per user, always present, read with the profile), so a user
-- never exists without them and defaults apply by construction.
CREATE TABLE users (
    id               uuid PRIMARY KEY,
    first_name       text NOT NULL CHECK (char_length(first_name) BETWEEN 1 AND 50),
    last_name        text NOT NULL CHECK (char_length(last_name) BETWEEN 1 AND 50),
    email            text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    -- What uniqueness and login compare: emails are case-insensitive for people.
    email_normalized text GENERATED ALWAYS AS (lower(email)) STORED,
    password_hash    text NOT NULL,
    bio              text CHECK (char_length(bio) <= 500),
    city             text CHECK (char_length(city) <= 100),
    birth_date       date CHECK (birth_date >= DATE '1900-01-01'),
    theme            text NOT NULL DEFAULT 'light' CHECK (theme IN ('light', 'dark')),
    privacy_profile  text NOT NULL DEFAULT 'everyone' CHECK (privacy_profile IN ('everyone', 'friends')),
    privacy_friends  text NOT NULL DEFAULT 'everyone' CHECK (privacy_friends IN ('everyone', 'friends')),
    privacy_photos   text NOT NULL DEFAULT 'everyone' CHECK (privacy_photos IN ('everyone', 'friends')),
    privacy_messages text NOT NULL DEFAULT 'everyone' CHECK (privacy_messages IN ('everyone', 'friends', 'nobody')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One account per address whatever its case; also the index login looks users up by.
CREATE UNIQUE INDEX users_email_normalized_key ON users (email_normalized);

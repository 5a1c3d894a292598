-- Name search at scale. Matching a one-word query with a typo ("tnaaka") against every user's
-- whole name reads a great many trigram candidates (the trigrams of a common name are in
-- hundreds of thousands of names: about 600 ms among a million users), and ranking the people
-- who share a common name by a whole-name score means sorting all of them. But a name is a few
-- words, and there are far fewer distinct words than people (a million users share perhaps a
-- hundred thousand first and last names). So a one-word search first finds the words near the
-- query in this small dictionary, through its trigram index, then reads the people with each
-- word, best word first and in id order within a word, from the B-tree below: a page costs about
-- a page, however many people share the name. A two-word search does the same over pairs of
-- words (see the adapter).
CREATE TABLE name_words (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    word        text NOT NULL UNIQUE,
    -- How many people have the word: a two-word search reads the rarer word's people and checks
    -- the other word for each, rather than the other way round.
    users_count bigint NOT NULL DEFAULT 0 CHECK (users_count >= 0)
);

-- `query <% word` (word similarity, typo-tolerant and prefix-friendly) over the dictionary.
-- Without fastupdate: new words are rare, and a GIN pending list would be read whole by every
-- search until a vacuum merged it (the dictionary is small enough to sit in it entirely).
CREATE INDEX name_words_trgm ON name_words USING gin (word gin_trgm_ops) WITH (fastupdate = off);

-- Who has which word in their name. The primary key reads a word's people in id order (the
-- search's order within a word); the second index reads a person's words (to list them under
-- their best-matching word only, and to replace them when the name changes).
CREATE TABLE user_name_words (
    word_id bigint NOT NULL REFERENCES name_words (id),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (word_id, user_id)
);
CREATE INDEX user_name_words_user ON user_name_words (user_id, word_id);

-- The pairs of distinct words in one person's name (smaller word id first). A search of several
-- words reads exactly the people who have two of them, in id order, from this primary key,
-- instead of reading everyone with the rarer word to find the few who also have the other (or
-- nobody: "hanako ren" are two first names, each shared by a hundred thousand people).
CREATE TABLE user_name_word_pairs (
    low_id  bigint NOT NULL,
    high_id bigint NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (low_id, high_id, user_id),
    CHECK (low_id < high_id)
);
-- Replacing a person's pairs when their name changes, and the cascade when they are deleted.
CREATE INDEX user_name_word_pairs_user ON user_name_word_pairs (user_id);

-- Keeps the three tables in step with `users.search_name`, in the transaction that writes the name.
-- Words are inserted in sorted order so that two registrations with the same new words wait for
-- each other instead of deadlocking. Words nobody uses any more stay (they match nobody).
CREATE FUNCTION users_index_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.search_name IS NOT DISTINCT FROM OLD.search_name THEN
            RETURN NULL;
        END IF;
        DELETE FROM user_name_word_pairs WHERE user_id = NEW.id;
        DELETE FROM user_name_words WHERE user_id = NEW.id;
    END IF;
    INSERT INTO name_words (word)
        SELECT DISTINCT w FROM regexp_split_to_table(NEW.search_name, '\s+') AS w
        WHERE w <> '' ORDER BY w
        ON CONFLICT (word) DO NOTHING;
    INSERT INTO user_name_words (word_id, user_id)
        SELECT n.id, NEW.id FROM name_words n
        WHERE n.word IN (SELECT w FROM regexp_split_to_table(NEW.search_name, '\s+') AS w)
        ORDER BY n.id
        ON CONFLICT DO NOTHING;
    INSERT INTO user_name_word_pairs (low_id, high_id, user_id)
        SELECT a.word_id, b.word_id, NEW.id
        FROM user_name_words a JOIN user_name_words b
          ON b.user_id = a.user_id AND a.word_id < b.word_id
        WHERE a.user_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_index_name_words
    AFTER INSERT OR UPDATE OF first_name, last_name ON users
    FOR EACH ROW EXECUTE FUNCTION users_index_name_words();

-- The people already registered.
INSERT INTO name_words (word)
    SELECT DISTINCT w FROM users, regexp_split_to_table(search_name, '\s+') AS w
    WHERE w <> '' ORDER BY w;
INSERT INTO user_name_words (word_id, user_id)
    SELECT DISTINCT n.id, u.id
    FROM users u, regexp_split_to_table(u.search_name, '\s+') AS w
    JOIN name_words n ON n.word = w
    ORDER BY 1, 2;
INSERT INTO user_name_word_pairs (low_id, high_id, user_id)
    SELECT a.word_id, b.word_id, a.user_id
    FROM user_name_words a JOIN user_name_words b
      ON b.user_id = a.user_id AND a.word_id < b.word_id
    ORDER BY 1, 2, 3;
UPDATE name_words n SET users_count = c.users
FROM (SELECT word_id, count(*) AS users FROM user_name_words GROUP BY word_id) c
WHERE c.word_id = n.id;

-- Keeps `name_words.users_count`, also when a user's deletion cascades here. Rows are written in
-- word id order (above, and the cascade reads `user_name_words_user` in that order), so two
-- writers of the same words lock their counts in the same order.
CREATE FUNCTION user_name_words_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE name_words SET users_count = users_count - 1 WHERE id = OLD.word_id;
    ELSE
        UPDATE name_words SET users_count = users_count + 1 WHERE id = NEW.word_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER user_name_words_count
    AFTER INSERT OR DELETE ON user_name_words
    FOR EACH ROW EXECUTE FUNCTION user_name_words_count();

-- Searches no longer rank whole names by distance: the nearest-neighbour index on them has no
-- reader left, and every name change paid for it. (The GIN index on search_name stays: the
-- friends list's `?q=` filter reads it.)
DROP INDEX users_search_name_knn;

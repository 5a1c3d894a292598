-- Suggestions ("people you may know") rank people by the friends they share with me. Counting
-- those means walking every friend's friends: a few dozen rows for most people, but tens of
-- thousands for someone with 5,000 friends (about 200 ms), too slow for every page view. So a
-- user's best candidates are computed by one query (see the adapter) and kept here, and a page is
-- a read of at most a few hundred stored rows. What the ranking reads live at page time (the
-- candidates' cities and privacy, pending requests, blocks) is not stored; what is stored (who is
-- a friend of a friend, and how many friends they share) is marked out of date by the triggers
-- below, in the same transaction as the change that makes it so.

-- One per user who has asked for suggestions.
CREATE TABLE suggestion_snapshots (
    user_id          uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- Bumped by every change that can alter this user's candidates.
    version          bigint NOT NULL DEFAULT 0,
    -- The version the stored entries were computed at (NULL: never); current when equal.
    computed_version bigint,
    computed_at      timestamptz,
    -- Friend-of-friend rows the last computation walked: whether the next one runs while the
    -- reader waits (cheap) or in the background while the reader gets the stored ones (costly).
    work             bigint NOT NULL DEFAULT 0,
    -- Whether the entries hold every candidate with a friend in common, or only the best ones.
    complete         boolean NOT NULL DEFAULT false
);

-- The stored candidates. The primary key reads one user's entries as a range and answers "is X
-- among them"; there is no foreign key on candidate_id (it would need a second index for
-- deleting users): a deleted candidate drops out of the join with users when a page is read, and
-- deleting their friendships marks the snapshot out of date anyway.
CREATE TABLE suggestion_entries (
    user_id      uuid NOT NULL REFERENCES suggestion_snapshots (user_id) ON DELETE CASCADE,
    candidate_id uuid NOT NULL,
    mutual       integer NOT NULL CHECK (mutual > 0),
    PRIMARY KEY (user_id, candidate_id)
);

-- Marks the snapshots of `ids` out of date. The rows are locked in id order, so two writers whose
-- neighbourhoods overlap wait for each other instead of deadlocking.
CREATE FUNCTION suggestions_touch(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM suggestion_snapshots WHERE user_id = ANY (ids) ORDER BY user_id FOR UPDATE;
    UPDATE suggestion_snapshots SET version = version + 1 WHERE user_id = ANY (ids);
END
$$;

-- A pair's row changing alters both people's exclusions (a request) or friends (a friendship).
-- A friendship starting or ending also changes how many friends each side's friends share with
-- the other side: their snapshots go out of date too.
CREATE FUNCTION friendships_touch_suggestions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    a uuid;
    b uuid;
    was_friends boolean := false;
    is_friends boolean := false;
BEGIN
    IF TG_OP = 'DELETE' THEN
        a := OLD.user_a; b := OLD.user_b; was_friends := OLD.state = 'friends';
    ELSE
        a := NEW.user_a; b := NEW.user_b; is_friends := NEW.state = 'friends';
        IF TG_OP = 'UPDATE' THEN
            was_friends := OLD.state = 'friends';
        END IF;
    END IF;
    IF was_friends <> is_friends THEN
        -- Which snapshots a friendship reaches depends on the friends both people have, which a
        -- concurrent transaction may be changing: A–B and B–C committing together would each
        -- miss the other (neither sees the other's row), leaving A's snapshot without C for
        -- good. So friendship changes of a person take turns (a lock per person, in key order,
        -- until commit), and the query below, a new statement, sees the one before it.
        PERFORM pg_advisory_xact_lock(k)
        FROM (SELECT hashtextextended(u::text, 7) AS k FROM unnest(ARRAY[a, b]) AS u ORDER BY 1) l;
        PERFORM suggestions_touch(ARRAY(
            SELECT a UNION SELECT b
            UNION SELECT friend_id FROM friend_edges WHERE user_id IN (a, b)));
    ELSE
        PERFORM suggestions_touch(ARRAY[a, b]);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER friendships_touch_suggestions
    AFTER INSERT OR UPDATE OR DELETE ON friendships
    FOR EACH ROW EXECUTE FUNCTION friendships_touch_suggestions();

-- Deleting a user deletes their friendships in one cascade, whose triggers would take the
-- people's locks above row by row, out of key order, and could deadlock with a friendship change
-- between two of their friends. So the deletion takes all of them first, in key order (advisory
-- locks nest: the cascade's own requests then find them held).
CREATE FUNCTION users_lock_friends_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(k)
    FROM (SELECT hashtextextended(u::text, 7) AS k
          FROM (SELECT OLD.id AS u
                UNION SELECT friend_id FROM friend_edges WHERE user_id = OLD.id) people
          ORDER BY 1) l;
    RETURN OLD;
END
$$;

CREATE TRIGGER users_lock_friends_before_delete
    BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_lock_friends_before_delete();

-- A block excludes each side from the other's suggestions; an unblock lets them back.
CREATE FUNCTION blocks_touch_suggestions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM suggestions_touch(ARRAY[OLD.blocker_id, OLD.blocked_id]);
    ELSE
        PERFORM suggestions_touch(ARRAY[NEW.blocker_id, NEW.blocked_id]);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER blocks_touch_suggestions
    AFTER INSERT OR DELETE ON blocks
    FOR EACH ROW EXECUTE FUNCTION blocks_touch_suggestions();

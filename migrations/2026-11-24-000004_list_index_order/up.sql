-- Friends lists break ties by friend id descending: with the index in exactly that order the two
-- side scans feed the Merge Append without an extra (incremental) sort.
-- Note: PostgreSQL 15 does not merge the two branches of the friend_edges view in index order, so
-- the list queries read friendships side by side themselves; the view serves counts and joins.
DROP INDEX friendships_a_friends;
DROP INDEX friendships_b_friends;
CREATE INDEX friendships_a_friends ON friendships (user_a, friends_since DESC, user_b DESC)
    WHERE state = 'friends';
CREATE INDEX friendships_b_friends ON friendships (user_b, friends_since DESC, user_a DESC)
    WHERE state = 'friends';

-- Suggestions rank everyone in my city with no mutual friends by id: with the id in the index a
-- big city is read in order and stops at the page size instead of being sorted whole.
DROP INDEX users_city_lower;
CREATE INDEX users_city_lower ON users (lower(city), id DESC) WHERE city IS NOT NULL;

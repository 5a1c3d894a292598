DROP TRIGGER users_lock_friends_before_delete ON users;
DROP FUNCTION users_lock_friends_before_delete();
DROP TRIGGER blocks_touch_suggestions ON blocks;
DROP FUNCTION blocks_touch_suggestions();
DROP TRIGGER friendships_touch_suggestions ON friendships;
DROP FUNCTION friendships_touch_suggestions();
DROP FUNCTION suggestions_touch(uuid[]);
DROP TABLE suggestion_entries;
DROP TABLE suggestion_snapshots;

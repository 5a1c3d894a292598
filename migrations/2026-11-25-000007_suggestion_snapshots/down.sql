DROP TRIGGER blocks_touch_suggestions ON blocks;
DROP FUNCTION blocks_touch_suggestions();
DROP TRIGGER friendships_touch_suggestions ON friendships;
DROP FUNCTION friendships_touch_suggestions();
DROP FUNCTION suggestions_touch(uuid[]);
DROP TABLE suggestion_entries;
DROP TABLE suggestion_snapshots;

DROP TABLE notifications;
DROP TABLE blocks;
DROP VIEW friend_edges;
DROP TABLE friendships;
DROP INDEX users_city_lower;
DROP INDEX users_search_name_trgm;
ALTER TABLE users DROP COLUMN search_name;

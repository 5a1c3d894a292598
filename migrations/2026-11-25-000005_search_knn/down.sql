DROP INDEX users_search_name_trgm;
CREATE INDEX users_search_name_trgm ON users USING gin (search_name gin_trgm_ops);

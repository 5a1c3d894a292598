CREATE INDEX users_search_name_knn ON users USING gist (search_name gist_trgm_ops);
DROP TRIGGER user_name_words_count ON user_name_words;
DROP FUNCTION user_name_words_count();
DROP TRIGGER users_index_name_words ON users;
DROP FUNCTION users_index_name_words();
DROP TABLE user_name_word_pairs;
DROP TABLE user_name_words;
DROP TABLE name_words;

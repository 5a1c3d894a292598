DROP TRIGGER users_index_name_words ON users;
DROP FUNCTION users_index_name_words();
DROP TABLE user_name_words;
DROP TABLE name_words;

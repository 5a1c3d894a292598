DROP INDEX friendships_a_friends;
DROP INDEX friendships_b_friends;
CREATE INDEX friendships_a_friends ON friendships (user_a, friends_since DESC, user_b) WHERE state = 'friends';
CREATE INDEX friendships_b_friends ON friendships (user_b, friends_since DESC, user_a) WHERE state = 'friends';
DROP INDEX users_city_lower;
CREATE INDEX users_city_lower ON users (lower(city)) WHERE city IS NOT NULL;

ALTER TABLE users DROP COLUMN email_normalized;
ALTER TABLE users ADD COLUMN email_normalized text GENERATED ALWAYS AS (lower(email)) STORED;
CREATE UNIQUE INDEX users_email_normalized_key ON users (email_normalized);

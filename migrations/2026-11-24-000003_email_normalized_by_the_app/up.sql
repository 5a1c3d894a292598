-- The application writes email_normalized (Email::normalized) instead of PostgreSQL's lower():
-- the two disagree on some letters (a word-final capital sigma) and lower() depends on the
-- database's collation, so a user could be registered under one spelling and never found at
-- login. The unique index stays: it still makes an address unique whatever its case.
ALTER TABLE users ALTER COLUMN email_normalized DROP EXPRESSION;

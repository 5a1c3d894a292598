-- Found by the schema.rs check (crates/adapters/postgres/tests/schema.rs): both columns were
-- nullable in the database while schema.rs (and every reader) treats them as always set.
-- `email_normalized` has been written by the application since 000003; `search_name` is
-- generated from two NOT NULL columns. Say so in the schema, so no row can ever lack them.
ALTER TABLE users ALTER COLUMN email_normalized SET NOT NULL;
ALTER TABLE users ALTER COLUMN search_name SET NOT NULL;

-- Name search orders by word-similarity distance (`q <<-> search_name`). A GiST trigram index
-- answers that as a nearest-neighbour scan: best matches come out first and a page stops after a
-- page of rows, where the GIN index could only filter candidates that then all had to be scored
-- and sorted (tens of milliseconds for a common name among a million users). GiST also serves
-- the `<%` threshold and LIKE filters.
DROP INDEX users_search_name_trgm;
CREATE INDEX users_search_name_trgm ON users USING gist (search_name gist_trgm_ops);

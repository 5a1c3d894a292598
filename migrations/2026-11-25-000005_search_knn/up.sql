-- Name search orders by word-similarity distance (`search_name <->> q`). A GiST trigram index
-- answers that as a nearest-neighbour scan: best matches come out first and a page stops after a
-- page of rows, where the GIN index can only filter candidates that then all have to be scored
-- and sorted (hundreds of milliseconds for a common name among a million users). The GIN index
-- stays: for a rare name or a typo with few candidates its bitmap filter is the cheaper plan,
-- and the planner picks between the two per query.
CREATE INDEX users_search_name_knn ON users USING gist (search_name gist_trgm_ops);

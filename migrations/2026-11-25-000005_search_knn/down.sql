DROP INDEX users_search_name_knn;

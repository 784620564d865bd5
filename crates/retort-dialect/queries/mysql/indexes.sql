-- Every index of the current database's tables, those behind primary keys, unique
-- constraints and foreign keys included (one row per index column).
-- Columns (every value text):
--   0 table_name  1 index_name  2 non_unique  3 seq_in_index  4 column_name  5 sub_part
--   6 collation  7 index_type
SELECT CAST(s.TABLE_NAME AS CHAR),
       CAST(s.INDEX_NAME AS CHAR),
       CAST(s.NON_UNIQUE AS CHAR),
       CAST(s.SEQ_IN_INDEX AS CHAR),
       CAST(s.COLUMN_NAME AS CHAR),
       CAST(s.SUB_PART AS CHAR),
       CAST(s.COLLATION AS CHAR),
       CAST(s.INDEX_TYPE AS CHAR)
FROM information_schema.STATISTICS AS s
WHERE s.TABLE_SCHEMA = DATABASE()

-- Every column of every base table of the current database, with its table's comment and
-- default collation (one row per column; the tables of the query's rows are the tables).
-- Columns (every value text, NULL where the catalog has none):
--   0 table_name  1 column_name  2 ordinal_position  3 data_type  4 column_type
--   5 is_nullable  6 column_default  7 extra  8 column_comment  9 collation_name
--   10 table_collation  11 table_comment  12 numeric_precision  13 numeric_scale
--   14 character_maximum_length  15 datetime_precision  16 generation_expression
SELECT CAST(c.TABLE_NAME AS CHAR),
       CAST(c.COLUMN_NAME AS CHAR),
       CAST(c.ORDINAL_POSITION AS CHAR),
       CAST(c.DATA_TYPE AS CHAR),
       CAST(c.COLUMN_TYPE AS CHAR),
       CAST(c.IS_NULLABLE AS CHAR),
       CAST(c.COLUMN_DEFAULT AS CHAR),
       CAST(c.EXTRA AS CHAR),
       CAST(c.COLUMN_COMMENT AS CHAR),
       CAST(c.COLLATION_NAME AS CHAR),
       CAST(t.TABLE_COLLATION AS CHAR),
       CAST(t.TABLE_COMMENT AS CHAR),
       CAST(c.NUMERIC_PRECISION AS CHAR),
       CAST(c.NUMERIC_SCALE AS CHAR),
       CAST(c.CHARACTER_MAXIMUM_LENGTH AS CHAR),
       CAST(c.DATETIME_PRECISION AS CHAR),
       CAST(c.GENERATION_EXPRESSION AS CHAR)
FROM information_schema.COLUMNS AS c
JOIN information_schema.TABLES AS t
  ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'

-- The columns of every primary key, unique constraint and foreign key of the current
-- database's tables, with the column each foreign key column refers to (one row per column).
-- Columns (every value text):
--   0 table_name  1 constraint_name  2 column_name  3 ordinal_position
--   4 referenced_table_schema  5 referenced_table_name  6 referenced_column_name
--   7 current_database
SELECT CAST(k.TABLE_NAME AS CHAR),
       CAST(k.CONSTRAINT_NAME AS CHAR),
       CAST(k.COLUMN_NAME AS CHAR),
       CAST(k.ORDINAL_POSITION AS CHAR),
       CAST(k.REFERENCED_TABLE_SCHEMA AS CHAR),
       CAST(k.REFERENCED_TABLE_NAME AS CHAR),
       CAST(k.REFERENCED_COLUMN_NAME AS CHAR),
       CAST(DATABASE() AS CHAR)
FROM information_schema.KEY_COLUMN_USAGE AS k
WHERE k.TABLE_SCHEMA = DATABASE()

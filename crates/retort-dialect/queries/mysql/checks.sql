-- Check constraints of the current database's tables, MariaDB's catalog (which names a
-- check's table; a column-level check is named after its column, so names repeat across
-- tables). MySQL 8.0 uses checks_mysql.sql. One row per check.
-- Columns (every value text):
--   0 table_name  1 constraint_name  2 check_clause
SELECT CAST(cc.TABLE_NAME AS CHAR),
       CAST(cc.CONSTRAINT_NAME AS CHAR),
       CAST(cc.CHECK_CLAUSE AS CHAR)
FROM information_schema.CHECK_CONSTRAINTS AS cc
WHERE cc.CONSTRAINT_SCHEMA = DATABASE()

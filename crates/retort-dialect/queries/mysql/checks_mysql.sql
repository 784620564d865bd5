-- Check constraints of the current database's tables, MySQL 8's catalog (whose
-- CHECK_CONSTRAINTS has no table name; check names are unique in a schema there, so the
-- table comes from TABLE_CONSTRAINTS by name). One row per check.
-- Columns (every value text):
--   0 table_name  1 constraint_name  2 check_clause
SELECT CAST(tc.TABLE_NAME AS CHAR),
       CAST(tc.CONSTRAINT_NAME AS CHAR),
       CAST(cc.CHECK_CLAUSE AS CHAR)
FROM information_schema.TABLE_CONSTRAINTS AS tc
JOIN information_schema.CHECK_CONSTRAINTS AS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'

-- Primary keys, unique constraints and foreign keys of the current database's tables (one
-- row per constraint); their columns come from key_columns.sql, checks from checks.sql.
-- Columns (every value text):
--   0 table_name  1 constraint_name  2 constraint_type  3 update_rule  4 delete_rule
SELECT CAST(tc.TABLE_NAME AS CHAR),
       CAST(tc.CONSTRAINT_NAME AS CHAR),
       CAST(tc.CONSTRAINT_TYPE AS CHAR),
       CAST(rc.UPDATE_RULE AS CHAR),
       CAST(rc.DELETE_RULE AS CHAR)
FROM information_schema.TABLE_CONSTRAINTS AS tc
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS AS rc
  ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
 AND rc.TABLE_NAME = tc.TABLE_NAME
 AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = DATABASE()
  AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')

-- What the tables of the current database have that a model cannot say: triggers.
-- Columns (every value text):
--   0 schema  1 table  2 kind  3 name
SELECT CAST(TRIGGER_SCHEMA AS CHAR) AS table_schema,
       CAST(EVENT_OBJECT_TABLE AS CHAR) AS table_name,
       'trigger' AS kind,
       CAST(TRIGGER_NAME AS CHAR) AS name
FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = DATABASE()

-- Triggers of the current database. MySQL keeps a trigger's body as written
-- (ACTION_STATEMENT) and its head as columns; `mysql::entities` writes the head back as
-- `<timing> <event> ON <table> FOR EACH ROW`.
-- Columns (every value text):
--   0 name   1 table   2 timing (BEFORE, AFTER)   3 event (INSERT, UPDATE, DELETE)   4 body
SELECT CAST(TRIGGER_NAME AS CHAR) AS name,
       CAST(EVENT_OBJECT_TABLE AS CHAR) AS table_name,
       CAST(ACTION_TIMING AS CHAR) AS timing,
       CAST(EVENT_MANIPULATION AS CHAR) AS event,
       CAST(ACTION_STATEMENT AS CHAR) AS body
FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = DATABASE()
ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER

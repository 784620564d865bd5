-- Every object of the current MySQL/MariaDB database that a baseline must carry, for
-- `revision --baseline` (src/baseline.rs): what the catalog read did not bring back (a
-- stored function or procedure, an event) is refused by name.
--  0 kind   1 schema (none: the database is the connection's)   2 name
SELECT CAST(CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' ELSE 'table' END AS CHAR), NULL,
       CAST(TABLE_NAME AS CHAR)
FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
UNION ALL
SELECT CAST(LOWER(ROUTINE_TYPE) AS CHAR), NULL, CAST(ROUTINE_NAME AS CHAR)
FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
UNION ALL
SELECT CAST('trigger' AS CHAR), NULL, CAST(TRIGGER_NAME AS CHAR)
FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
UNION ALL
SELECT CAST('event' AS CHAR), NULL, CAST(EVENT_NAME AS CHAR)
FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()
ORDER BY 1, 3

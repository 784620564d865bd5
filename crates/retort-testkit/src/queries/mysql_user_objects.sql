-- Every user-created object of the current MariaDB/MySQL database, as '<kind> <name>'.
-- The testkit's marker function (retort_testkit_marker) is left out: it is not the test's.
SELECT CONCAT(kind, ' ', name) FROM (
    SELECT CASE TABLE_TYPE WHEN 'BASE TABLE' THEN 'table' WHEN 'VIEW' THEN 'view'
                           WHEN 'SEQUENCE' THEN 'sequence' ELSE 'relation' END AS kind,
           CAST(TABLE_NAME AS CHAR) AS name
    FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE()
    UNION ALL
    SELECT DISTINCT 'index', CAST(CONCAT(TABLE_NAME, '.', INDEX_NAME) AS CHAR)
    FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE()
    UNION ALL
    SELECT LOWER(ROUTINE_TYPE), CAST(ROUTINE_NAME AS CHAR)
    FROM information_schema.ROUTINES
    WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME <> 'retort_testkit_marker'
    UNION ALL
    SELECT 'trigger', CAST(TRIGGER_NAME AS CHAR)
    FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = DATABASE()
    UNION ALL
    SELECT 'event', CAST(EVENT_NAME AS CHAR)
    FROM information_schema.EVENTS
    WHERE EVENT_SCHEMA = DATABASE()
) AS objects
ORDER BY CAST(name AS BINARY), kind  -- bytewise: the same order on every server

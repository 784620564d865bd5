-- Views of the current database, each with its query as the server keeps it (MySQL
-- rewrites a view's SELECT: names qualified with the database, backticks, `AS` aliases;
-- `mysql::entities` takes the current database's qualifier off again).
-- Columns (every value text):
--   0 name   1 definition   2 check option (NONE, CASCADED, LOCAL)
SELECT CAST(TABLE_NAME AS CHAR) AS name,
       CAST(VIEW_DEFINITION AS CHAR) AS definition,
       CAST(CHECK_OPTION AS CHAR) AS check_option
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME

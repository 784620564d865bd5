-- Every user-created object of a SQLite database, as '<kind> <name>'.
SELECT type || ' ' || name FROM sqlite_master
WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY name, type

-- Every object of a SQLite file that a baseline must carry, for `revision --baseline`
-- (src/baseline.rs): what the catalog read did not bring back is refused by name. SQLite's
-- own tables and the indexes it makes for keys (`sqlite_autoindex_*`) are left out.
--  0 kind   1 schema (none)   2 name
SELECT CASE
         WHEN type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' THEN 'virtual table'
         ELSE type
       END,
       NULL, name
FROM sqlite_schema
WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY 1, 3

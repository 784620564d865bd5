-- Foreign keys, one row per key column. `id` numbers the keys of a table, `seq` the
-- columns of a key; `to` is NULL when the key names no columns (it refers to the primary
-- key). Names and DEFERRABLE are not here: build reads them from the CREATE TABLE text.
-- Left out: the tables the columns query leaves out (same conditions, same ?1).
--  0 table             1 key id             2 column position      3 referenced table
--  4 column            5 referenced column  6 ON UPDATE            7 ON DELETE
SELECT s.name,
       CAST(f.id AS TEXT),
       CAST(f.seq AS TEXT),
       f."table",
       f."from",
       f."to",
       f.on_update,
       f.on_delete
FROM sqlite_schema s
JOIN pragma_foreign_key_list(s.name) f
WHERE s.type = 'table'
  -- Virtual tables and their shadow tables are not modelled (pragma_table_list: 3.37+).
  AND s.name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type <> 'table')
  AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND s.name NOT LIKE '\_retort\_tmp\_%' ESCAPE '\'
  AND s.name NOT IN (SELECT value FROM json_each(?1))

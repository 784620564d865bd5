-- Tables and their columns, one row per column (virtual tables, and the shadow tables
-- behind them, are left out), with the table's CREATE TABLE text on every row.
-- One statement for every table: the table-valued pragma is joined to sqlite_schema.
-- Left out: SQLite's own tables (sqlite_%), Retort's rebuild tables (_retort_tmp_%) and the
-- names in ?1, a JSON array of text (the migration tool's own tables).
-- Every value is text so any driver can fetch the rows as Vec<Option<String>>.
--  0 table             1 CREATE TABLE text  2 column number (cid)  3 column name
--  4 declared type     5 not null (0/1)     6 default text         7 primary key position
--  8 hidden (0 plain, 2 virtual generated, 3 stored generated)
SELECT s.name,
       s.sql,
       CAST(c.cid AS TEXT),
       c.name,
       c.type,
       CAST(c."notnull" AS TEXT),
       c.dflt_value,
       CAST(c.pk AS TEXT),
       CAST(c.hidden AS TEXT)
FROM sqlite_schema s
JOIN pragma_table_xinfo(s.name) c
WHERE s.type = 'table'
  -- Virtual tables and their shadow tables are not modelled (pragma_table_list: 3.37+).
  AND s.name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type <> 'table')
  AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND s.name NOT LIKE '\_retort\_tmp\_%' ESCAPE '\'
  AND s.name NOT IN (SELECT value FROM json_each(?1))

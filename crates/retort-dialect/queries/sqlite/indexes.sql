-- Indexes, one row per key column (pragma_index_xinfo's key = 1; the rowid that every index
-- carries is not a key column). origin: 'c' CREATE INDEX, 'u' a UNIQUE constraint, 'pk' the
-- primary key. An expression column has cid -2 and no name: build takes its text from the
-- CREATE INDEX text (NULL for the automatic indexes of constraints).
-- Left out: the tables the columns query leaves out (same conditions, same ?1).
--  0 table             1 index name         2 unique (0/1)         3 origin
--  4 partial (0/1)     5 column position    6 cid                  7 column name
--  8 desc (0/1)        9 CREATE INDEX text
-- 10 collating sequence (BINARY unless the index or the column says otherwise)
SELECT s.name,
       l.name,
       CAST(l."unique" AS TEXT),
       l.origin,
       CAST(l.partial AS TEXT),
       CAST(x.seqno AS TEXT),
       CAST(x.cid AS TEXT),
       x.name,
       CAST(x."desc" AS TEXT),
       i.sql,
       x.coll
FROM sqlite_schema s
JOIN pragma_index_list(s.name) l
JOIN pragma_index_xinfo(l.name) x
LEFT JOIN sqlite_schema i ON i.type = 'index' AND i.name = l.name
WHERE s.type = 'table'
  AND x.key = 1
  -- Virtual tables and their shadow tables are not modelled (pragma_table_list: 3.37+).
  AND s.name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type <> 'table')
  AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND s.name NOT LIKE '\_retort\_tmp\_%' ESCAPE '\'
  AND s.name NOT IN (SELECT value FROM json_each(?1))

-- Comments on the tables of the schemas in $1 and on their columns, one row per comment
-- (the tables columns.sql reads: ordinary and partitioned, not partitions).
-- Read apart from columns.sql, which looked them up per column row: two index probes of
-- pg_description for every column were more than half of that query's time on a large
-- schema, whereas few tables have comments and this query reads only those.
-- Rows come in no particular order; build_metadata attaches them by table and column number.
--  0 schema   1 table   2 column number, zero for the table's own comment   3 comment
SELECT n.nspname::text,
       c.relname::text,
       d.objsubid::text,
       d.description::text
FROM pg_description d
JOIN pg_class c ON c.oid = d.objoid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE d.classoid = 'pg_class'::regclass
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname = ANY ($1::text[])

-- Comments on the tables of the schemas in $1 and on their columns, one row per comment
-- (the tables columns.sql reads: ordinary and partitioned, not partitions); then one row per
-- such table that has storage parameters (reloptions) or parents (INHERITS), column number
-- -1, which columns.sql would otherwise repeat on (or look up for) every column row.
-- Read apart from columns.sql, which looked them up per column row: two index probes of
-- pg_description for every column were more than half of that query's time on a large
-- schema, whereas few tables have comments and this query reads only those.
-- Rows come in no particular order; build_metadata attaches them by table and column number.
--  0 schema   1 table   2 column number, zero for the table's own comment, -1 for the
--  table's options   3 comment (NULL in an options row)   4 storage parameters
--  (`{fillfactor=70}`)   5 the parents' schemas, in order   6 their names, in order
WITH t AS (
    SELECT c.oid, n.nspname, c.relname, c.reloptions
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND n.nspname = ANY ($1::text[])
)
SELECT t.nspname::text,
       t.relname::text,
       d.objsubid::text,
       d.description::text,
       NULL::text,
       NULL::text,
       NULL::text
FROM pg_description d
JOIN t ON t.oid = d.objoid
WHERE d.classoid = 'pg_class'::regclass
UNION ALL
SELECT t.nspname::text,
       t.relname::text,
       '-1',
       NULL::text,
       t.reloptions::text,
       inh.schemas::text,
       inh.names::text
FROM t
LEFT JOIN LATERAL (
    SELECT array_agg(pn.nspname::text ORDER BY i.inhseqno) AS schemas,
           array_agg(p.relname::text ORDER BY i.inhseqno) AS names
    FROM pg_inherits i
    JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_namespace pn ON pn.oid = p.relnamespace
    WHERE i.inhrelid = t.oid
) inh ON true
WHERE t.reloptions IS NOT NULL OR inh.names IS NOT NULL

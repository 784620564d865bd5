-- Primary key, foreign key, unique, check and exclusion constraints, one row per constraint, of
-- every table of the schemas in $1. Column lists are text arrays in key order. An exclusion
-- constraint's elements, operators, method, INCLUDE and WHERE are those of the index behind
-- it, read with the other indexes (indexes.sql: the constraint kind and operator columns), so an element is read
-- exactly as an index element is (expression, opclass, collation, order) rather than parsed
-- out of pg_get_constraintdef's text; this row gives its name and DEFERRABLE.
-- Rows come in no particular order (sorting here cost more than the rest of the query);
-- build_metadata orders the result.
--  0 schema         1 table            2 constraint name    3 contype (p, f, u, c, x)
--  4 columns        5 referenced schema  6 referenced table  7 referenced columns
--  8 ON UPDATE (confupdtype)  9 ON DELETE (confdeltype)  10 deferrable (t/f)
-- 11 initially deferred (t/f)  12 check expression
-- 13 unique NULLS NOT DISTINCT (t/f; PostgreSQL 15's pg_index.indnullsnotdistinct)
-- 14 foreign key MATCH type (confmatchtype: f full, p partial, s simple)
-- 15 the storage parameters of a primary key's or unique constraint's index (reloptions)
-- A check constraint a parent gives (INHERITS) and the table does not declare itself
-- (conislocal false) is the parent's, read there.
SELECT n.nspname::text,
       c.relname::text,
       con.conname::text,
       con.contype::text,
       (SELECT array_agg(a.attname ORDER BY array_position(con.conkey, a.attnum))
          FROM pg_attribute a
          WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey))::text,
       rn.nspname::text,
       rc.relname::text,
       (SELECT array_agg(a.attname ORDER BY array_position(con.confkey, a.attnum))
          FROM pg_attribute a
          WHERE a.attrelid = con.confrelid AND a.attnum = ANY (con.confkey))::text,
       nullif(con.confupdtype, ' ')::text,
       nullif(con.confdeltype, ' ')::text,
       con.condeferrable::text,
       con.condeferred::text,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END,
       CASE WHEN con.contype = 'u'
            THEN (SELECT i.indnullsnotdistinct FROM pg_index i WHERE i.indexrelid = con.conindid)
       END::text,
       CASE WHEN con.contype = 'f' THEN con.confmatchtype::text END,
       CASE WHEN con.contype IN ('p', 'u')
            THEN (SELECT ic.reloptions FROM pg_class ic WHERE ic.oid = con.conindid)
       END::text
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype IN ('p', 'f', 'u', 'c', 'x')
  AND (con.contype <> 'c' OR con.conislocal)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname = ANY ($1::text[])

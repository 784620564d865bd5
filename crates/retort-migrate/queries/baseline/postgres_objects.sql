-- Every object of the database's own schemas that a baseline must carry, for
-- `revision --baseline` (src/baseline.rs): what the catalog read (autogenerate's) did not
-- bring back is refused by name rather than left out of the history. Objects an extension
-- owns are the extension's (CREATE EXTENSION makes them again) and are left out, as are
-- the sequences an identity or serial column owns (the column makes them).
--  0 kind   1 schema   2 name
WITH own AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'
), ext AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
)
SELECT CASE
         WHEN c.relispartition THEN 'partition'
         WHEN c.relkind = 'p' THEN 'partitioned table'
         WHEN c.relkind = 'r' AND c.relpersistence = 'u' THEN 'unlogged table'
         WHEN c.relkind = 'r' THEN 'table'
         WHEN c.relkind = 'v' THEN 'view'
         WHEN c.relkind = 'm' THEN 'materialized view'
         WHEN c.relkind = 'S' THEN 'sequence'
         WHEN c.relkind = 'f' THEN 'foreign table'
         ELSE 'composite type'
       END,
       own.nspname::text, c.relname::text
FROM pg_class c
JOIN own ON own.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
  AND NOT (c.relkind = 'S' AND EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
          AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'e' THEN 'enum type' WHEN 'r' THEN 'range type'
                      ELSE 'base type' END,
       own.nspname::text, t.typname::text
FROM pg_type t
JOIN own ON own.oid = t.typnamespace
WHERE t.typtype IN ('d', 'e', 'r', 'b')
  AND NOT (t.typtype = 'b' AND t.typelem <> 0)
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                      ELSE 'window function' END,
       own.nspname::text, p.proname::text
FROM pg_proc p
JOIN own ON own.oid = p.pronamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
UNION ALL
SELECT 'rule', own.nspname::text, c.relname::text || '.' || r.rulename::text
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN own ON own.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_rewrite'::regclass AND ext.objid = r.oid)
UNION ALL
-- The storage parameters (WITH (fillfactor = ..)) of a table, its indexes and its keys'
-- indexes are read; those of a materialized view, its indexes, and an exclusion
-- constraint's index are not: they would be lost.
SELECT CASE WHEN c.relkind = 'i' THEN 'index' ELSE 'materialized view' END || ' storage parameters',
       own.nspname::text,
       c.relname::text || ' WITH (' || array_to_string(c.reloptions, ', ') || ')'
FROM pg_class c
JOIN own ON own.oid = c.relnamespace
WHERE c.reloptions IS NOT NULL
  AND (c.relkind = 'm'
       OR (c.relkind = 'i'
           AND (EXISTS (SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                         WHERE i.indexrelid = c.oid AND t.relkind = 'm')
                OR EXISTS (SELECT 1 FROM pg_constraint x
                            WHERE x.conindid = c.oid AND x.contype = 'x'))))
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'operator', own.nspname::text, o.oprname::text
FROM pg_operator o JOIN own ON own.oid = o.oprnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_operator'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'collation', own.nspname::text, co.collname::text
FROM pg_collation co JOIN own ON own.oid = co.collnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_collation'::regclass AND ext.objid = co.oid)
UNION ALL
SELECT 'text search configuration', own.nspname::text, ts.cfgname::text
FROM pg_ts_config ts JOIN own ON own.oid = ts.cfgnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_ts_config'::regclass AND ext.objid = ts.oid)
UNION ALL
SELECT 'statistics object', own.nspname::text, st.stxname::text
FROM pg_statistic_ext st JOIN own ON own.oid = st.stxnamespace
UNION ALL
SELECT 'event trigger', NULL::text, et.evtname::text
FROM pg_event_trigger et
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_event_trigger'::regclass AND ext.objid = et.oid)
ORDER BY 1, 2, 3

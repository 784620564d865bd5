-- The table columns each entity of the schemas in $1 reads, as pg_depend records them: a
-- view's or materialized view's rewrite rule (`SELECT *` expanded when it was made
-- included), a function with a SQL-standard body (BEGIN ATOMIC, RETURN), a trigger's
-- column list and WHEN clause. PostgreSQL refuses to drop such a column, or change its
-- type, while the entity is there; autogenerate drops it before and creates it after.
--  0 kind (v, m, f, p, t)   1 schema   2 name   3 a trigger's table
--  4 a function's arguments (pg_get_function_arguments)   5 table schema   6 table   7 column
SELECT DISTINCT dn.nspname::text, dc.relname::text, dc.relkind::text, NULL::text, NULL::text,
       tn.nspname::text, tc.relname::text, a.attname::text
FROM pg_rewrite r
JOIN pg_class dc ON dc.oid = r.ev_class
JOIN pg_namespace dn ON dn.oid = dc.relnamespace
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
JOIN pg_class tc ON d.refclassid = 'pg_class'::regclass AND tc.oid = d.refobjid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = d.refobjsubid
WHERE dc.relkind IN ('v', 'm')
  AND tc.relkind IN ('r', 'p')
  AND d.refobjsubid > 0
  AND dn.nspname = ANY ($1::text[])
UNION
SELECT DISTINCT pn.nspname::text, p.proname::text, p.prokind::text, NULL::text,
       pg_get_function_arguments(p.oid)::text, tn.nspname::text, tc.relname::text, a.attname::text
FROM pg_proc p
JOIN pg_namespace pn ON pn.oid = p.pronamespace
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
JOIN pg_class tc ON d.refclassid = 'pg_class'::regclass AND tc.oid = d.refobjid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = d.refobjsubid
WHERE p.prokind IN ('f', 'p')
  AND tc.relkind IN ('r', 'p')
  AND d.refobjsubid > 0
  AND pn.nspname = ANY ($1::text[])
UNION
SELECT DISTINCT tn.nspname::text, t.tgname::text, 't', tc.relname::text, NULL::text,
       tn.nspname::text, tc.relname::text, a.attname::text
FROM pg_trigger t
JOIN pg_class tc ON tc.oid = t.tgrelid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_depend d ON d.classid = 'pg_trigger'::regclass AND d.objid = t.oid
  AND d.refclassid = 'pg_class'::regclass AND d.refobjid = tc.oid
JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = d.refobjsubid
WHERE NOT t.tgisinternal
  AND t.tgconstraint = 0
  AND d.refobjsubid > 0
  AND tn.nspname = ANY ($1::text[])
ORDER BY 1, 2, 6, 7, 8

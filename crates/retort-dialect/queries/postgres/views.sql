-- Views and materialized views of the schemas in $1, each with its query as PostgreSQL
-- prints it (pg_get_viewdef): what autogenerate compares (`retort_dialect::entities`).
-- An extension's own views (pg_depend deptype 'e') are the extension's, not the project's.
--  0 schema   1 name   2 relkind (v, m)   3 definition   4 populated (materialized views)   5 oid
SELECT n.nspname::text, c.relname::text, c.relkind::text,
       pg_get_viewdef(c.oid)::text, c.relispopulated::text, c.oid::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2

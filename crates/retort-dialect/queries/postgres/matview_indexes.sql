-- The indexes on the materialized views of the schemas in $1 (they belong to their view's
-- definition: `retort_core::MatviewIndex`), each as pg_get_indexdef prints it, with the
-- head of that text (`CREATE [UNIQUE] INDEX name ON schema.view `) spelled the same way so
-- the builder can cut it off. Not an extension's views' indexes.
--  0 schema   1 view   2 index   3 unique   4 pg_get_indexdef   5 the head to cut off
SELECT n.nspname::text, c.relname::text, i.relname::text, x.indisunique::text,
       pg_get_indexdef(x.indexrelid)::text,
       ('CREATE ' || CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
        || quote_ident(i.relname) || ' ON ' || quote_ident(n.nspname) || '.'
        || quote_ident(c.relname) || ' ')::text
FROM pg_index x
JOIN pg_class c ON c.oid = x.indrelid AND c.relkind = 'm'
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3

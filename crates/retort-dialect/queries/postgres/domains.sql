-- Domains of the schemas in $1 (not an extension's), each with the rest of its
-- CREATE DOMAIN as pg_dump writes it: base type, collation (when not the base type's),
-- default, NOT NULL, and each CHECK constraint by name (in name order).
--  0 schema   1 name   2 definition (AS .. [COLLATE ..] [DEFAULT ..] [NOT NULL] [CONSTRAINT .. CHECK ..])   3 oid
SELECT n.nspname::text, t.typname::text,
       'AS ' || format_type(t.typbasetype, t.typtypmod)
       || CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
               THEN ' COLLATE ' || CASE WHEN cn.nspname = 'pg_catalog' THEN ''
                                        ELSE quote_ident(cn.nspname) || '.' END
                    || quote_ident(co.collname)
               ELSE '' END
       || CASE WHEN t.typdefault IS NOT NULL THEN ' DEFAULT ' || t.typdefault ELSE '' END
       || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
       || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(c.conname) || ' '
                                      || pg_get_constraintdef(c.oid), '' ORDER BY c.conname)
                    FROM pg_constraint c
                    WHERE c.contypid = t.oid AND c.contype = 'c'), ''),
       t.oid::text
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2

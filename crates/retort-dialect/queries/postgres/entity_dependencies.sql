-- What each view and materialized view of the schemas in $1 reads that is itself an
-- entity (another view or materialized view, a function, an aggregate), from the dependencies of its
-- rewrite rule: the live side's creation order (drops go the other way round). A view's
-- tables are not listed: tables always come before entities.
--  0 schema   1 view   2 relkind (v, m)   3 referenced schema   4 referenced name
--  5 referenced kind (v, m, f, p, a)   6 referenced function's arguments (pg_get_function_arguments)
SELECT DISTINCT dn.nspname::text, dc.relname::text, dc.relkind::text,
       rn.nspname::text, rc.relname::text, rc.relkind::text, NULL::text
FROM pg_rewrite r
JOIN pg_class dc ON dc.oid = r.ev_class
JOIN pg_namespace dn ON dn.oid = dc.relnamespace
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid
JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE dc.relkind IN ('v', 'm')
  AND rc.relkind IN ('v', 'm')
  AND rc.oid <> dc.oid
  AND dn.nspname = ANY ($1::text[])
UNION
SELECT DISTINCT dn.nspname::text, dc.relname::text, dc.relkind::text,
       pn.nspname::text, p.proname::text, p.prokind::text,
       pg_get_function_arguments(p.oid)::text
FROM pg_rewrite r
JOIN pg_class dc ON dc.oid = r.ev_class
JOIN pg_namespace dn ON dn.oid = dc.relnamespace
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE dc.relkind IN ('v', 'm')
  AND p.prokind IN ('f', 'p', 'a')
  AND dn.nspname = ANY ($1::text[])
  AND pn.nspname = ANY ($1::text[])
ORDER BY 1, 2, 4, 5

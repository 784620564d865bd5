-- Functions and procedures of the schemas in $1 (not aggregates or window functions,
-- which pg_get_functiondef cannot print), overloads apart, each with its arguments as
-- CREATE FUNCTION takes them and its whole definition as PostgreSQL prints it.
-- An extension's own functions (pg_depend deptype 'e') are the extension's.
--  0 schema   1 name   2 prokind (f, p)   3 arguments   4 definition (pg_get_functiondef)   5 oid
SELECT n.nspname::text, p.proname::text, p.prokind::text,
       pg_get_function_arguments(p.oid)::text, pg_get_functiondef(p.oid)::text, p.oid::text
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p')
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1, 2, 4

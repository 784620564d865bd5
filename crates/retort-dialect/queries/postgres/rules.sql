-- Rewrite rules on the tables and views of the schemas in $1: not a view's own _RETURN
-- rule (that is the view), not an extension's.
--  0 schema   1 table   2 name   3 name as CREATE RULE spells it   4 pg_get_ruledef   5 oid
SELECT n.nspname::text, c.relname::text, r.rulename::text, quote_ident(r.rulename)::text,
       pg_get_ruledef(r.oid)::text, r.oid::text
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3

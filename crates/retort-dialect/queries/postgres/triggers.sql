-- Triggers on the tables (and views) of the schemas in $1: not the internal ones
-- PostgreSQL makes for foreign keys, not constraint triggers (CREATE CONSTRAINT TRIGGER,
-- not modelled yet: `table_dependents.sql` still names them), not an extension's.
--  0 schema   1 table   2 name   3 name as CREATE TRIGGER spells it   4 pg_get_triggerdef   5 oid
SELECT n.nspname::text, c.relname::text, t.tgname::text, quote_ident(t.tgname)::text,
       pg_get_triggerdef(t.oid)::text, t.oid::text
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal
  AND t.tgconstraint = 0
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_trigger'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3

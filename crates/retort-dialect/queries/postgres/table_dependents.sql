-- What the tables of the schemas in $1 have that Retort does not model and that DROP TABLE
-- removes with the table without a word: triggers (not the internal ones PostgreSQL makes
-- for foreign keys), row-level security policies, and rules (not a view's _RETURN rule).
-- Autogenerate refuses to drop such a table (`retort_migrate::autogenerate`,
-- `refuse_lost_objects`), so nothing vanishes silently.
--  0 schema   1 table   2 kind (trigger, policy, rule)   3 name
SELECT n.nspname::text, c.relname::text, 'trigger'::text, t.tgname::text
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal
  AND n.nspname = ANY ($1::text[])
UNION ALL
SELECT n.nspname::text, c.relname::text, 'policy'::text, p.polname::text
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY ($1::text[])
UNION ALL
SELECT n.nspname::text, c.relname::text, 'rule'::text, r.rulename::text
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'
  AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY ($1::text[])
ORDER BY 1, 2, 3, 4

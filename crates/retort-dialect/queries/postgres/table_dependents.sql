-- What the tables of the schemas in $1 have that Retort does not model and that DROP TABLE
-- removes with the table without a word: triggers (not the internal ones PostgreSQL makes
-- for foreign keys), row-level security policies, rules (not a view's _RETURN rule), and
-- grants on the table or one of its columns (from relacl / attacl, less what PostgreSQL
-- grants the owner by default), named `PRIVILEGE to grantee` or `PRIVILEGE (column) to
-- grantee`. Autogenerate refuses to drop such a table (`retort_migrate::autogenerate`,
-- `refuse_lost_objects`) unless the model or the diff knows it, and the runner refuses the
-- DROP TABLE while one is still there, so nothing vanishes silently.
--  0 schema   1 table   2 kind (trigger, policy, rule, grant)   3 name
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
UNION ALL
SELECT n.nspname::text, c.relname::text, 'grant'::text,
       a.privilege_type || ' to '
         || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) a
WHERE c.relacl IS NOT NULL
  AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM aclexplode(acldefault('r', c.relowner)) d
    WHERE d.grantee = a.grantee AND d.privilege_type = a.privilege_type)
UNION
SELECT n.nspname::text, c.relname::text, 'grant'::text,
       a.privilege_type || ' (' || quote_ident(t.attname) || ') to '
         || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END
FROM pg_attribute t
JOIN pg_class c ON c.oid = t.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(t.attacl) a
WHERE t.attacl IS NOT NULL
  AND NOT t.attisdropped
  AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY ($1::text[])
ORDER BY 1, 2, 3, 4

-- Grants on the tables, views, materialized views, foreign tables, sequences, functions
-- and procedures of the schemas in $1, and on the columns of the relations, from their ACLs
-- (aclexplode), ONE row per (object, column, grantee, privilege), granted with the grant option by any grantor. What
-- PostgreSQL grants by default (acldefault: the owner's own privileges, PUBLIC's EXECUTE
-- on a function) is nobody's grant and is not read; neither are an extension's objects.
--  0 schema   1 object kind (table, sequence, function)   2 name
--  3 identity arguments (functions)   4 privilege   5 grantee (PUBLIC for everyone)
--  6 with grant option   7 column (a column privilege, from pg_attribute.attacl; else NULL)
-- A column's ACL holds only what was granted on the column itself (a table-wide GRANT
-- stays in relacl), so every entry of it is read: it has no defaults.
SELECT n.nspname::text,
       CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END,
       c.relname::text, NULL::text, a.privilege_type::text,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
       bool_or(a.is_grantable)::text, NULL::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) a
WHERE c.relacl IS NOT NULL
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM aclexplode(acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char",
                                        c.relowner)) d
    WHERE d.grantee = a.grantee AND d.privilege_type = a.privilege_type)
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
GROUP BY 1, 2, 3, 4, 5, 6
UNION ALL
SELECT n.nspname::text, 'table', c.relname::text, NULL::text, a.privilege_type::text,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
       bool_or(a.is_grantable)::text, t.attname::text
FROM pg_attribute t
JOIN pg_class c ON c.oid = t.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(t.attacl) a
WHERE t.attacl IS NOT NULL
  AND NOT t.attisdropped
  AND t.attnum > 0
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
GROUP BY 1, 2, 3, 4, 5, 6, 8
UNION ALL
SELECT n.nspname::text, 'function', p.proname::text,
       pg_get_function_identity_arguments(p.oid)::text, a.privilege_type::text,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
       bool_or(a.is_grantable)::text, NULL::text
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
CROSS JOIN LATERAL aclexplode(p.proacl) a
WHERE p.proacl IS NOT NULL
  AND p.prokind IN ('f', 'p')
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM aclexplode(acldefault('f', p.proowner)) d
    WHERE d.grantee = a.grantee AND d.privilege_type = a.privilege_type)
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 1, 3, 8, 4, 5, 6

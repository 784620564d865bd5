-- Default privileges (ALTER DEFAULT PRIVILEGES) of this database, in every schema and for
-- every schema (pg_default_acl is per database): what differs from PostgreSQL's own
-- defaults, ONE row per (role, schema, privilege, grantee), as the statement that made it.
-- They are not under version control; autogenerate and `check` name each, so none goes
-- unseen (Retort never changes them). An entry for every schema holds the whole ACL, the
-- owner's defaults included (acldefault), so what it grants beyond them and what it revoked
-- of them are read; an entry for one schema holds only what it adds.
--  0 role   1 schema (NULL: every schema)   2 statement (GRANT .. / REVOKE ..)
WITH d AS (
  SELECT d.oid, d.defaclrole, d.defaclnamespace, d.defaclobjtype, d.defaclacl,
         pg_get_userbyid(d.defaclrole)::text AS role, n.nspname::text AS schema,
         CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
           WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS'
           ELSE d.defaclobjtype::text END AS objects
  FROM pg_default_acl d
  LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
),
own AS (
  SELECT d.oid, a.grantee, a.privilege_type
  FROM d
  CROSS JOIN LATERAL aclexplode(acldefault(CASE WHEN d.defaclobjtype = 'S' THEN 's'
                                                ELSE d.defaclobjtype END::"char",
                                           d.defaclrole)) a
  WHERE d.defaclnamespace = 0
)
SELECT d.role, d.schema,
       'GRANT ' || a.privilege_type || ' ON ' || d.objects || ' TO '
         || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END
         || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
FROM d
CROSS JOIN LATERAL aclexplode(d.defaclacl) a
WHERE NOT EXISTS (SELECT 1 FROM own o
                  WHERE o.oid = d.oid AND o.grantee = a.grantee
                    AND o.privilege_type = a.privilege_type)
UNION ALL
SELECT d.role, d.schema,
       'REVOKE ' || o.privilege_type || ' ON ' || d.objects || ' FROM '
         || CASE WHEN o.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(o.grantee)) END
FROM d
JOIN own o ON o.oid = d.oid
WHERE NOT EXISTS (SELECT 1 FROM aclexplode(d.defaclacl) a
                  WHERE a.grantee = o.grantee AND a.privilege_type = o.privilege_type)
ORDER BY 1, 2, 3

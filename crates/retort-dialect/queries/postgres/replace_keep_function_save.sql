  -- What dropping the function takes with it, read first for every function of its name:
  -- the statements that put it back on the new one, each with the function it comes from.
  -- The server picks which one the drop names (its signature may hold argument names a
  -- cast to regprocedure refuses); only what the dropped one had is kept, below.
  SELECT coalesce(array_agg(k.statement ORDER BY k.step, k.statement), '{}'),
         coalesce(array_agg(k.fn ORDER BY k.step, k.statement), '{}')
    INTO _redo, _fn
    FROM (
      WITH f AS (
        SELECT p.oid, p.proowner, p.proacl
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.proname = {{NAME}} AND {{IN_SCHEMA}}
      )
      SELECT 1 AS step, f.oid AS fn,
             format('ALTER {{KIND}} %s OWNER TO %I', {{SIGNATURE}}, pg_get_userbyid(f.proowner)) AS statement
        FROM f WHERE pg_get_userbyid(f.proowner) <> current_user
      UNION ALL
      -- A NULL ACL is the default one the create gives again (EXECUTE to PUBLIC); any other
      -- is put back exactly: PUBLIC's default EXECUTE taken away first, so that a revoked
      -- one stays revoked, then every grant but the owner's own.
      SELECT 2, f.oid, format('REVOKE ALL ON {{KIND}} %s FROM PUBLIC', {{SIGNATURE}})
        FROM f WHERE f.proacl IS NOT NULL
      UNION ALL
      SELECT 3, f.oid,
             format('GRANT %s ON {{KIND}} %s TO %s%s', g.privilege_type, {{SIGNATURE}},
                    CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                    CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
        FROM f, aclexplode(f.proacl) g WHERE g.grantee <> f.proowner
      UNION ALL
      SELECT 4, f.oid, format('COMMENT ON {{KIND}} %s IS %L', {{SIGNATURE}}, d.description)
        FROM f JOIN pg_description d
          ON d.objoid = f.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
    ) k;

  -- What the drop takes with it, read first: the statements that put it back, in this
  -- order, each with the column it needs (NULL: none).
  _view := {{NAME}}::regclass;
  _name := _view::text;
  SELECT coalesce(array_agg(k.statement ORDER BY k.step, k.sort, k.statement), '{}'),
         coalesce(array_agg(k.column_name ORDER BY k.step, k.sort, k.statement), '{}')
    INTO _redo, _column
    FROM (
      SELECT 1 AS step, ''::text AS sort, NULL::name AS column_name,
             format('ALTER {{KIND}} %s OWNER TO %I', _name, pg_get_userbyid(c.relowner)) AS statement
        FROM pg_class c WHERE c.oid = _view AND pg_get_userbyid(c.relowner) <> current_user
{{INDEXES}}      UNION ALL
      SELECT 3, a.attname::text, a.attname,
             format('ALTER {{KIND}} %s ALTER COLUMN %I SET DEFAULT %s', _name, a.attname,
                    pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
       WHERE d.adrelid = _view
      UNION ALL
      SELECT 4, '', NULL,
             format('GRANT %s ON %s TO %s%s', g.privilege_type, _name,
                    CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                    CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
        FROM pg_class c, aclexplode(c.relacl) g
       WHERE c.oid = _view AND g.grantee <> c.relowner
      UNION ALL
      SELECT 5, a.attname::text, a.attname,
             format('GRANT %s (%I) ON %s TO %s%s', g.privilege_type, a.attname, _name,
                    CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                    CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid, aclexplode(a.attacl) g
       WHERE c.oid = _view AND a.attnum > 0 AND NOT a.attisdropped AND g.grantee <> c.relowner
      UNION ALL
      SELECT 6, '', NULL, format('COMMENT ON {{KIND}} %s IS %L', _name, d.description)
        FROM pg_description d
       WHERE d.objoid = _view AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
      UNION ALL
      SELECT 7, a.attname::text, a.attname,
             format('COMMENT ON COLUMN %s.%I IS %L', _name, a.attname, d.description)
        FROM pg_description d JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
       WHERE d.objoid = _view AND d.classoid = 'pg_class'::regclass AND d.objsubid > 0
      UNION ALL
      SELECT 8, r.rulename::text, NULL, pg_get_ruledef(r.oid)
        FROM pg_rewrite r WHERE r.ev_class = _view AND r.rulename <> '_RETURN'
      UNION ALL
      SELECT 9, r.rulename::text, NULL,
             format('COMMENT ON RULE %I ON %s IS %L', r.rulename, _name, d.description)
        FROM pg_rewrite r JOIN pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_rewrite'::regclass
       WHERE r.ev_class = _view AND r.rulename <> '_RETURN'
      UNION ALL
      SELECT 10, t.tgname::text, NULL, pg_get_triggerdef(t.oid)
        FROM pg_trigger t WHERE t.tgrelid = _view AND NOT t.tgisinternal
      UNION ALL
      SELECT 11, t.tgname::text, NULL,
             format('COMMENT ON TRIGGER %I ON %s IS %L', t.tgname, _name, d.description)
        FROM pg_trigger t JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass
       WHERE t.tgrelid = _view AND NOT t.tgisinternal
    ) k;

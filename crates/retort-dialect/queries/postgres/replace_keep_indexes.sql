      -- A materialized view's indexes that the model neither makes nor drops.
      UNION ALL
      SELECT 2, i.relname::text, NULL, pg_get_indexdef(x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = _view AND i.relname <> ALL ({{KNOWN_INDEXES}}::text[])

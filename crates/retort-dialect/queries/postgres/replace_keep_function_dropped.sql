  -- Right after the drop: only what the function it dropped had is put back.
  SELECT coalesce(array_agg(_redo[i] ORDER BY i), '{}') INTO _redo
    FROM generate_subscripts(_fn, 1) i
   WHERE NOT EXISTS (SELECT FROM pg_proc p WHERE p.oid = _fn[i]);

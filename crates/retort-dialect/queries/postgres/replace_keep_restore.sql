  -- Put back what the drop took: what belongs to a column the new definition no longer has
  -- goes with it (as a dropped table column's would); anything else that no longer fits
  -- (a rule or trigger that reads a dropped column) fails the block with the server's error.
  FOR _i IN 1 .. coalesce(array_length(_redo, 1), 0) LOOP
    CONTINUE WHEN _column[_i] IS NOT NULL AND NOT EXISTS (
      SELECT FROM pg_attribute a
       WHERE a.attrelid = _name::regclass AND a.attname = _column[_i]
         AND a.attnum > 0 AND NOT a.attisdropped);
    BEGIN
      EXECUTE _redo[_i];
    EXCEPTION WHEN OTHERS THEN
      RAISE EXCEPTION USING ERRCODE = SQLSTATE,
        MESSAGE = format('%s (putting back on %s what dropping it took: %s)', SQLERRM, _name, _redo[_i]),
        HINT = 'drop or change it in the revision before ' || _name || ' is replaced';
    END;
  END LOOP;

  -- Put back what the drop took; what the new function refuses fails the block with the
  -- server's error.
  FOR _i IN 1 .. coalesce(array_length(_redo, 1), 0) LOOP
    BEGIN
      EXECUTE _redo[_i];
    EXCEPTION WHEN OTHERS THEN
      RAISE EXCEPTION USING ERRCODE = SQLSTATE,
        MESSAGE = format('%s (putting back on %s what dropping it took: %s)', SQLERRM, {{SIGNATURE}}, _redo[_i]),
        HINT = 'drop or change it in the revision before ' || {{SIGNATURE}} || ' is replaced';
    END;
  END LOOP;

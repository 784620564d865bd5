-- Sequences of the schemas in $1, one row per sequence, with the column that owns it (OWNED BY,
-- a serial column's sequence: pg_depend deptype 'a' on a column). The sequences behind identity
-- columns (deptype 'i') are the identity's, not sequences of the model, and are left out.
-- The last value is read only where the reading role may (else NULL).
-- Rows come in no particular order; build_metadata orders the result.
--  0 schema          1 sequence name     2 data type        3 start
--  4 increment       5 minvalue          6 maxvalue         7 cycle (t/f)
--  8 cache           9 owner schema     10 owner table     11 owner column
-- 12 last value
SELECT n.nspname::text,
       c.relname::text,
       format_type(s.seqtypid, NULL)::text,
       s.seqstart::text,
       s.seqincrement::text,
       s.seqmin::text,
       s.seqmax::text,
       CASE WHEN s.seqcycle THEN 't' ELSE 'f' END,
       s.seqcache::text,
       tn.nspname::text,
       t.relname::text,
       a.attname::text,
       CASE WHEN has_sequence_privilege(c.oid, 'SELECT')
            THEN pg_sequence_last_value(c.oid)::text END
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass
                     AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass
                     AND d.refobjsubid > 0
                     AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE n.nspname = ANY ($1::text[])
  AND d.deptype IS DISTINCT FROM 'i'

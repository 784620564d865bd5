-- Tables and their columns, one row per column (a table without columns gives one row with
-- a NULL column name), for every ordinary or partitioned table of the schemas in $1.
-- Every value is text so any driver can fetch the rows as Vec<Option<String>>. Defaults and
-- generation expressions are pretty-printed (fewer parentheses, closer to what people write).
-- Rows come in no particular order (sorting here cost more than the rest of the query);
-- build_metadata orders the result.
--  0 schema            1 table            2 NULL (table comment) 3 column number
--  4 column name       5 format_type      6 not null (t/f)   7 default / generation expr
--  8 attidentity       9 attgenerated    10 identity start  11 identity increment
-- 12 NULL (column comment) 13 type kind       14 type schema     15 type name
-- 16 element type kind  17 element type schema  18 element type name
-- 19 identity min      20 identity max       21 identity cycle (t/f)  22 identity cache
-- 23 array dimensions (attndims; 0 where PostgreSQL did not record them)
-- 24 column collation, when it is not its type's default
-- 25 26 27 NULL (the table's storage parameters and parents: comments.sql, for the reason
--          given there)
-- 28 the column is the table's own (attislocal; false: only a parent gives it)
SELECT n.nspname::text,
       c.relname::text,
       -- Comments (here and at 12) come from comments.sql: looked up per row, they were
       -- more than half of this query's time on a large schema. Kept as NULL so the
       -- positions of the other values stay.
       NULL::text,
       a.attnum::text,
       a.attname::text,
       format_type(a.atttypid, a.atttypmod),
       a.attnotnull::text,
       -- A default cannot refer to columns, so it needs no relation to print (opening one per
       -- default is what would cost); a generation expression does.
       pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid ELSE 0 END, true),
       nullif(a.attidentity, '')::text,
       nullif(a.attgenerated, '')::text,
       idn.seqstart::text,
       idn.seqincrement::text,
       NULL::text,
       t.typtype::text,
       tn.nspname::text,
       t.typname::text,
       et.typtype::text,
       et.nspname::text,
       et.typname::text,
       idn.seqmin::text,
       idn.seqmax::text,
       idn.seqcycle::text,
       idn.seqcache::text,
       a.attndims::text,
       CASE WHEN a.attcollation <> t.typcollation
            THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation)
       END::text,
       -- The table's storage parameters and parents come from comments.sql (one row a table
       -- that has them), not a lookup per column row. NULL keeps the positions.
       NULL::text,
       NULL::text,
       NULL::text,
       a.attislocal::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a
       ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
-- An array's element type: LATERAL with OFFSET 0 for the reason given at the identity join
-- below (flattened, the planner hashed all of pg_type, two rows a table of the database).
LEFT JOIN LATERAL (
    SELECT et.typtype, et.typname, etn.nspname
    FROM pg_type et JOIN pg_namespace etn ON etn.oid = et.typnamespace
    WHERE et.oid = t.typelem AND t.typcategory = 'A'
    OFFSET 0
) et ON true
-- An identity column owns its sequence through an internal dependency. LATERAL with OFFSET 0
-- (which keeps the planner from flattening it) makes this an index lookup per identity column
-- whatever the statistics say: a mis-estimated join over a catalog can become a nested loop
-- over all of it, as a plain join to pg_description did (0.9 s for 1,000 tables).
LEFT JOIN LATERAL (
    SELECT s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle, s.seqcache
    FROM pg_depend dep
    JOIN pg_sequence s ON s.seqrelid = dep.objid
    WHERE a.attidentity <> '' AND dep.refclassid = 'pg_class'::regclass
      AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum
      AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
    OFFSET 0
) idn ON true
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname = ANY ($1::text[])

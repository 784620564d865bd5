-- Indexes, one row per index column (key columns first, then INCLUDE columns), of every table
-- of the schemas in $1. A plain column comes as its name; PostgreSQL formats an expression with
-- pg_get_indexdef(index, k, true), which prints it alone (no opclass or ordering).
-- Rows come in no particular order (sorting here cost more than the rest of the query);
-- build_metadata orders the result.
--  0 schema          1 table              2 index name        3 unique (t/f)
--  4 access method   5 predicate          6 key column count (indnkeyatts)
--  7 position k (1-based)   8 table column number (0: an expression)
--  9 column name or expression   10 opclass name   11 opclass is the default (t/f)
-- 12 descending (t/f)  13 nulls first (t/f)
-- 14 name of the constraint the index backs (primary key, unique, exclusion), if any
-- 15 the element's collation when it is not the column's own (for an expression: not its
--    type's default), schema-qualified outside pg_catalog
-- 16 NULLS NOT DISTINCT (t/f; PostgreSQL 15)
-- 17 contype of the constraint the index backs (p, u, x), if any
-- 18 for an exclusion constraint's key column: its operator (`&&`; `OPERATOR(s.op)` outside
--    pg_catalog)
-- 19 the index's storage parameters (reloptions, `{fillfactor=90}`)
SELECT n.nspname::text,
       c.relname::text,
       ic.relname::text,
       i.indisunique::text,
       am.amname::text,
       pg_get_expr(i.indpred, i.indrelid, true),
       i.indnkeyatts::text,
       k.k::text,
       i.indkey[k.k - 1]::text,
       CASE WHEN i.indkey[k.k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k.k, true)
            ELSE a.attname::text END,
       opc.opcname::text,
       opc.opcdefault::text,
       (k.k <= i.indnkeyatts AND (i.indoption[k.k - 1] & 1) <> 0)::text,
       (k.k <= i.indnkeyatts AND (i.indoption[k.k - 1] & 2) <> 0)::text,
       con.conname::text,
       CASE WHEN k.k <= i.indnkeyatts AND i.indcollation[k.k - 1] <> 0
                 -- (the index column's type, asked only for an expression: a per-row
                 -- lookup of it was a quarter of this query on a large schema)
                 AND i.indcollation[k.k - 1] <> coalesce(a.attcollation,
                     (SELECT ixt.typcollation
                        FROM pg_attribute ia JOIN pg_type ixt ON ixt.oid = ia.atttypid
                       WHERE ia.attrelid = i.indexrelid AND ia.attnum = k.k))
            THEN CASE WHEN colln.nspname = 'pg_catalog' THEN coll.collname::text
                      ELSE colln.nspname || '.' || coll.collname END
       END,
       i.indnullsnotdistinct::text,
       con.contype::text,
       CASE WHEN con.contype = 'x' AND k.k <= i.indnkeyatts THEN
           (SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN o.oprname::text
                        ELSE 'OPERATOR(' || opn.nspname || '.' || o.oprname || ')' END
              FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace
             WHERE o.oid = con.conexclop[k.k])
       END,
       ic.reloptions::text
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL generate_series(1, i.indnatts) AS k(k)
-- The per-element lookups are LATERAL with OFFSET 0 (which keeps the planner from flattening
-- them), so each is an index lookup whatever it estimates after generate_series: flattened,
-- it hashed all of pg_attribute (393,000 rows on a 10,000-table database) to read the
-- 4,000 elements of the 1,000 tables asked for, and the read grew with the database rather
-- than with the schemas read.
LEFT JOIN LATERAL (
    SELECT a.attname, a.attcollation FROM pg_attribute a
    WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k.k - 1]
    OFFSET 0
) a ON true
LEFT JOIN pg_opclass opc ON k.k <= i.indnkeyatts AND opc.oid = i.indclass[k.k - 1]
LEFT JOIN pg_collation coll ON coll.oid = i.indcollation[k.k - 1]
LEFT JOIN pg_namespace colln ON colln.oid = coll.collnamespace
-- Only a unique or exclusion index backs a constraint: the others are not looked up.
LEFT JOIN LATERAL (
    SELECT con.conname, con.contype, con.conexclop FROM pg_constraint con
    WHERE (i.indisunique OR i.indisexclusion)
      AND con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
    OFFSET 0
) con ON true
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname = ANY ($1::text[])

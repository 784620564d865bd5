-- The size on disk of one table, its indexes and TOAST included, for the lint rules that
-- only matter on large tables (`retort_migrate::lint`, `large_table_bytes`). $1 is the
-- schema (NULL: the session's current schema), $2 the table; both are written in as
-- escaped literals. No row when there is no such table (one the run creates).
--  0 bytes
SELECT CAST(pg_total_relation_size(c.oid) AS text)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = $2
  AND n.nspname = COALESCE($1, current_schema())
  AND c.relkind IN ('r', 'p', 'm')

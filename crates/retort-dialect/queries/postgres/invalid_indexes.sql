-- Indexes marked INVALID (a failed CREATE INDEX CONCURRENTLY leaves one), schema-qualified.
SELECT CAST(n.nspname AS TEXT) || '.' || CAST(c.relname AS TEXT)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT i.indisvalid
ORDER BY 1

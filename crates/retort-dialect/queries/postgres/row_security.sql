-- Tables of the schemas in $1 with row level security enabled (ALTER TABLE .. ENABLE ROW
-- LEVEL SECURITY), and whether it is forced on the owner too. FORCE without ENABLE does
-- nothing and is not read.
--  0 schema   1 table   2 forced
SELECT n.nspname::text, c.relname::text, c.relforcerowsecurity::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relrowsecurity
  AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY ($1::text[])
ORDER BY 1, 2

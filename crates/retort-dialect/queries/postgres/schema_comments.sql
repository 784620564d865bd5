-- The comments on the schemas in $1 (COMMENT ON SCHEMA), exactly as stored.
--  0 schema   1 comment   2 the schema's oid
SELECT n.nspname::text, d.description::text, n.oid::text
FROM pg_namespace n
JOIN pg_description d
  ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY ($1::text[])
ORDER BY 1

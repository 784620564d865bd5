-- Enum types of the schemas in $1, one row per type, labels in their sort order as a text
-- array.
-- Rows come in no particular order (sorting here cost more than the rest of the query);
-- build_metadata orders the result.
--  0 schema   1 type name   2 labels
SELECT n.nspname::text,
       t.typname::text,
       (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder)
          FROM pg_enum e WHERE e.enumtypid = t.oid)::text
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND n.nspname = ANY ($1::text[])

-- Every user-created object of a PostgreSQL database, as '<kind> <schema>.<name>'.
SELECT kind || ' ' || name FROM (
    SELECT CASE c.relkind
               WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
               WHEN 'm' THEN 'materialized_view' WHEN 'S' THEN 'sequence'
               WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'f' THEN 'foreign_table'
               WHEN 'c' THEN 'composite_type' ELSE 'relation' END AS kind,
           n.nspname || '.' || c.relname AS name
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
    UNION ALL
    SELECT CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE 'type' END,
           n.nspname || '.' || t.typname
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r', 'm')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    SELECT 'schema', n.nspname
    FROM pg_namespace n
    WHERE n.nspname NOT IN ('public', 'pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_%'
) AS objects
ORDER BY name, kind

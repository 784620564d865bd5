-- The session holding the migration lock: the advisory lock whose bigint key is $1 (high
-- 32 bits, as classid) and $2 (low 32 bits, as objid), in the current database.
-- Columns: pid, application_name, backend_start, client_addr; all text.
SELECT CAST(a.pid AS TEXT), CAST(a.application_name AS TEXT),
       CAST(a.backend_start AS TEXT), CAST(a.client_addr AS TEXT)
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
  AND l.classid = CAST($1 AS OID) AND l.objid = CAST($2 AS OID) AND l.objsubid = 1
LIMIT 1

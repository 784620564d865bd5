-- The indexes, triggers and views that have SQL text (not the automatic indexes of UNIQUE
-- and PRIMARY KEY constraints), for a table rebuild: what names the rebuilt table must be
-- dropped before the swap or re-created after it (SQLite's ALTER TABLE procedure, steps 3
-- and 8). Creation order, so re-creating in this order re-creates what others use first.
--  0 type ('index', 'trigger', 'view')  1 name  2 table it belongs to (tbl_name)  3 CREATE text
SELECT type, name, tbl_name, sql
FROM sqlite_schema
WHERE type IN ('index', 'trigger', 'view')
  AND sql IS NOT NULL
ORDER BY rowid

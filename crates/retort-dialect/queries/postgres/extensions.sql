-- Every extension of the database (one a database, whatever schema its objects are in),
-- with the schema it put them in and its version. Which of them are compared is decided
-- with the model in hand (`postgres::read_schema`): those in the schemas read, those the
-- model names, and plpgsql (never dropped: the server's own).
--  0 name   1 schema   2 version   3 oid
SELECT e.extname::text, n.nspname::text, e.extversion::text, e.oid::text
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY 1

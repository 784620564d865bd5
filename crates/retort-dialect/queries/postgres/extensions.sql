-- Every extension of the database (one a database, whatever schema its objects are in),
-- with the schema it put them in and its version. Which of them are compared is decided
-- with the model in hand (`postgres::read_schema`): those in the schemas read, those the
-- model names, and plpgsql (never dropped: the server's own).
-- The extensions each requires (its control file's `requires`, recorded in pg_depend) order
-- the drops: a required one goes after those that need it.
--  0 name   1 schema   2 version   3 oid   4 required extensions, comma-separated (or NULL)
SELECT e.extname::text, n.nspname::text, e.extversion::text, e.oid::text,
       (SELECT string_agg(r.extname, ',' ORDER BY r.extname)
        FROM pg_depend d
        JOIN pg_extension r ON r.oid = d.refobjid
        WHERE d.classid = 'pg_extension'::regclass AND d.objid = e.oid
          AND d.refclassid = 'pg_extension'::regclass)::text
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY 1

-- Row-level-security policies on the tables of the schemas in $1, each with its parts as
-- PostgreSQL prints them (pg_get_expr for the expressions): what autogenerate compares
-- (`retort_dialect::postgres::access_catalog` builds `AS .. FOR .. TO .. USING (..) WITH
-- CHECK (..)` from them). The roles in the order the policy lists them, PUBLIC as the
-- keyword, every other name quoted where CREATE POLICY needs it.
--  0 schema   1 table   2 name   3 PERMISSIVE|RESTRICTIVE   4 command   5 roles
--  6 USING expression   7 WITH CHECK expression   8 oid
SELECT n.nspname::text, c.relname::text, p.polname::text,
       CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
       (SELECT string_agg(CASE WHEN r.role = 0 THEN 'PUBLIC'
                               ELSE quote_ident(pg_get_userbyid(r.role)) END, ', ' ORDER BY r.ord)
        FROM unnest(p.polroles) WITH ORDINALITY AS r(role, ord)),
       pg_get_expr(p.polqual, p.polrelid)::text,
       pg_get_expr(p.polwithcheck, p.polrelid)::text,
       p.oid::text
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY ($1::text[])
ORDER BY 1, 2, 3

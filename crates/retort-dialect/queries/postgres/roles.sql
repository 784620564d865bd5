-- Every role of the cluster, for the check that the roles the model's grants and policies
-- name exist (`retort_dialect::postgres::access_catalog::missing_roles`).
--  0 name
SELECT rolname::text FROM pg_roles ORDER BY 1

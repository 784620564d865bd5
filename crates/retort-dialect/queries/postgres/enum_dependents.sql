-- What depends on the enum type named by $1 (schema; NULL: the current schema) and $2
-- (name), on its array type, or on a column of either type: one row per dependent object,
-- for the runner's check before the type is swapped or a column leaves it
-- (`retort_dialect::postgres::enum_dependents`). Internal dependencies (the array type,
-- an index's on its constraint) are not listed; a constraint's index comes as the
-- constraint.
--  0 kind (column, index, constraint, default, view, rule, function, trigger, type, other)
--  1 schema   2 table, or the object itself   3 name (column, index, constraint, rule,
--  trigger)   4 contype of a constraint   5 whether the schema is the current one
--  6 pg_describe_object, for messages
WITH ty AS (
    SELECT t.oid, t.typarray
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = COALESCE($1::text, current_schema()) AND t.typname = $2::text
), cols AS (
    SELECT a.attrelid, a.attnum
    FROM pg_attribute a, ty
    WHERE a.atttypid IN (ty.oid, ty.typarray) AND a.attnum > 0 AND NOT a.attisdropped
), deps AS (
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d, ty
    WHERE d.refclassid = 'pg_type'::regclass
      AND d.refobjid IN (ty.oid, ty.typarray)
      AND d.deptype IN ('n', 'a')
    UNION
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d
    JOIN cols c ON d.refobjid = c.attrelid AND d.refobjsubid = c.attnum
    WHERE d.refclassid = 'pg_class'::regclass
      AND d.deptype IN ('n', 'a')
      AND NOT (d.classid = 'pg_class'::regclass AND d.objid = c.attrelid AND d.objsubid = 0)
)
SELECT CASE
           WHEN d.classid = 'pg_class'::regclass AND rel.relkind IN ('r', 'p') THEN 'column'
           WHEN d.classid = 'pg_class'::regclass AND rel.relkind IN ('i', 'I') AND ixc.oid IS NOT NULL THEN 'constraint'
           WHEN d.classid = 'pg_class'::regclass AND rel.relkind IN ('i', 'I') THEN 'index'
           WHEN d.classid = 'pg_class'::regclass AND rel.relkind IN ('v', 'm') THEN 'view'
           WHEN d.classid = 'pg_constraint'::regclass AND con.conrelid <> 0 THEN 'constraint'
           WHEN d.classid = 'pg_attrdef'::regclass THEN 'default'
           WHEN d.classid = 'pg_rewrite'::regclass AND rw.rulename = '_RETURN' THEN 'view'
           WHEN d.classid = 'pg_rewrite'::regclass THEN 'rule'
           WHEN d.classid = 'pg_proc'::regclass THEN 'function'
           WHEN d.classid = 'pg_trigger'::regclass THEN 'trigger'
           WHEN d.classid = 'pg_type'::regclass THEN 'type'
           ELSE 'other'
       END,
       COALESCE(tn.nspname, n.nspname)::text,
       COALESCE(tab.relname, rel.relname)::text,
       CASE
           WHEN d.classid = 'pg_class'::regclass AND rel.relkind IN ('r', 'p') THEN att.attname
           WHEN ixc.oid IS NOT NULL THEN ixc.conname
           WHEN d.classid = 'pg_class'::regclass THEN rel.relname
           WHEN d.classid = 'pg_constraint'::regclass THEN con.conname
           WHEN d.classid = 'pg_attrdef'::regclass THEN defatt.attname
           WHEN d.classid = 'pg_rewrite'::regclass THEN rw.rulename
           WHEN d.classid = 'pg_trigger'::regclass THEN tg.tgname
       END::text,
       COALESCE(ixc.contype, con.contype)::text,
       (COALESCE(tn.nspname, n.nspname) = current_schema())::text,
       pg_describe_object(d.classid, d.objid, d.objsubid)
FROM deps d
LEFT JOIN pg_class rel ON d.classid = 'pg_class'::regclass AND rel.oid = d.objid
LEFT JOIN pg_attribute att ON d.classid = 'pg_class'::regclass AND att.attrelid = d.objid AND att.attnum = d.objsubid AND d.objsubid > 0
LEFT JOIN pg_index ix ON rel.relkind IN ('i', 'I') AND ix.indexrelid = rel.oid
LEFT JOIN pg_constraint ixc ON ix.indexrelid IS NOT NULL AND ixc.conindid = ix.indexrelid AND ixc.contype IN ('p', 'u', 'x')
LEFT JOIN pg_constraint con ON d.classid = 'pg_constraint'::regclass AND con.oid = d.objid
LEFT JOIN pg_attrdef def ON d.classid = 'pg_attrdef'::regclass AND def.oid = d.objid
LEFT JOIN pg_attribute defatt ON defatt.attrelid = def.adrelid AND defatt.attnum = def.adnum
LEFT JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND rw.oid = d.objid
LEFT JOIN pg_trigger tg ON d.classid = 'pg_trigger'::regclass AND tg.oid = d.objid
LEFT JOIN pg_class tab ON tab.oid = COALESCE(ix.indrelid, con.conrelid, def.adrelid, rw.ev_class, tg.tgrelid)
LEFT JOIN pg_namespace tn ON tn.oid = tab.relnamespace
LEFT JOIN pg_namespace n ON n.oid = COALESCE(rel.relnamespace,
    (SELECT pronamespace FROM pg_proc WHERE d.classid = 'pg_proc'::regclass AND oid = d.objid),
    (SELECT typnamespace FROM pg_type WHERE d.classid = 'pg_type'::regclass AND oid = d.objid))

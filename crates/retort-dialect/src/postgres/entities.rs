//! PostgreSQL's entity DDL: `CREATE OR REPLACE` where it can, drop and create where it
//! refuses.
//!
//! A replacement cannot know from the recorded text alone whether the server will take
//! `CREATE OR REPLACE` (a view may only add columns at the end, a function may not change
//! its return type or argument names), and offline `--sql` has no server to ask. So a view
//! or function is replaced by one `DO` block that tries `CREATE OR REPLACE` and, only when
//! the server refuses it for exactly that reason (SQLSTATE 42P16 for a view,
//! `invalid_table_definition`; 42P13 for a function, `invalid_function_definition`), drops
//! the old one and creates the new. Anything else (a syntax error, a dependent object
//! that blocks the drop) fails as it would have. Materialized views (no `OR REPLACE`) and
//! triggers are dropped and created; the runner's transaction makes either atomic. Rules and
//! aggregates take `CREATE OR REPLACE`; a domain is altered (`ALTER DOMAIN`: its default, `NOT
//! NULL`, checks by name) when its base type and collation stay, else dropped and created
//! (which the server refuses while a column is of it, rather than lose the column).
//! Extensions, schemas' comments and materialized views' indexes: `postgres::extensions`.

use retort_core::{domain_clauses, Domain, Entity, EntityKey, EntityKind, Function};

use super::extensions;
use super::Postgres;
use crate::ansi::entities::body;
use crate::{Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

fn create(d: &Postgres, entity: &Entity, or_replace: bool) -> Result<String> {
    let or = if or_replace { "OR REPLACE " } else { "" };
    Ok(match entity {
        Entity::View(v) => format!(
            "CREATE {or}VIEW {} AS {}",
            d.qualified_name(v.schema.as_deref(), &v.name)?,
            body(&v.definition)
        ),
        Entity::MaterializedView(v) => format!(
            "CREATE MATERIALIZED VIEW {} AS {}{}",
            d.qualified_name(v.schema.as_deref(), &v.name)?,
            body(&v.definition),
            if v.with_data { "" } else { " WITH NO DATA" }
        ),
        Entity::Function(f) => format!(
            "CREATE {or}{} {}({}) {}",
            if f.procedure { "PROCEDURE" } else { "FUNCTION" },
            d.qualified_name(f.schema.as_deref(), &f.name)?,
            f.arguments.trim(),
            body(&f.definition)
        ),
        Entity::Trigger(t) => format!(
            "CREATE TRIGGER {} {}",
            d.quote_identifier(&t.name)?,
            body(&t.definition)
        ),
        Entity::Domain(x) => format!(
            "CREATE DOMAIN {} {}",
            d.qualified_name(x.schema.as_deref(), &x.name)?,
            body(&x.definition)
        ),
        Entity::Aggregate(a) => format!(
            "CREATE {or}AGGREGATE {}({}) {}",
            d.qualified_name(a.schema.as_deref(), &a.name)?,
            aggregate_arguments(a.arguments.trim()),
            body(&a.definition)
        ),
        Entity::Rule(r) => format!(
            "CREATE {or}RULE {} {}",
            d.quote_identifier(&r.name)?,
            body(&r.definition)
        ),
        other => match super::access::create(d, other)? {
            Some(sql) => sql,
            None => {
                return Err(DialectError::unsupported(
                    d.name(),
                    other.key().to_string(),
                    "this kind of entity is not rendered yet",
                ))
            }
        },
    })
}

pub(super) fn create_entity(d: &Postgres, entity: &Entity) -> Result<Vec<String>> {
    match entity {
        Entity::Extension(e) => return Ok(vec![extensions::create_extension(d, e)?]),
        Entity::SchemaComment(c) => return Ok(vec![extensions::schema_comment(d, c)?]),
        _ => {}
    }
    let mut out = vec![create(d, entity, false)?];
    if let Entity::MaterializedView(v) = entity {
        out.extend(extensions::create_matview_indexes(d, v)?);
    }
    Ok(out)
}

pub(super) fn drop_entity(d: &Postgres, key: &EntityKey) -> Result<Vec<String>> {
    let name = || d.qualified_name(key.schema.as_deref(), &key.name);
    Ok(vec![match key.kind {
        EntityKind::View => format!("DROP VIEW {}", name()?),
        EntityKind::MaterializedView => format!("DROP MATERIALIZED VIEW {}", name()?),
        EntityKind::Function | EntityKind::Procedure => format!(
            "DROP {} {}({})",
            if key.kind == EntityKind::Procedure {
                "PROCEDURE"
            } else {
                "FUNCTION"
            },
            name()?,
            key.arguments.as_deref().unwrap_or("")
        ),
        EntityKind::Trigger => format!(
            "DROP TRIGGER {} ON {}",
            d.quote_identifier(&key.name)?,
            d.qualified_name(key.schema.as_deref(), key.table.as_deref().unwrap_or(""))?
        ),
        EntityKind::Domain => format!("DROP DOMAIN {}", name()?),
        EntityKind::Aggregate => format!(
            "DROP AGGREGATE {}({})",
            name()?,
            aggregate_arguments(key.arguments.as_deref().unwrap_or(""))
        ),
        EntityKind::Rule => format!(
            "DROP RULE {} ON {}",
            d.quote_identifier(&key.name)?,
            d.qualified_name(key.schema.as_deref(), key.table.as_deref().unwrap_or(""))?
        ),
        EntityKind::Extension => extensions::drop_extension(d, key)?,
        EntityKind::SchemaComment => extensions::comment_on_schema(d, &key.name, None)?,
        other => match super::access::drop(d, key)? {
            Some(sql) => sql,
            None => {
                return Err(DialectError::unsupported(
                    d.name(),
                    format!("dropping a {}", other.as_str()),
                    "this kind of entity is not rendered yet",
                ))
            }
        },
    }])
}

/// The `ALTER DOMAIN`s that turn `old` into `new`, when they have one base type and
/// collation and every check that goes has a name: a default set or dropped, `NOT NULL` set
/// or dropped, checks dropped by name and added. `None`: only a drop and a create can say
/// it (which the server refuses while a column is of the domain, rather than lose it).
fn alter_domain(d: &Postgres, new: &Domain, old: &Domain) -> Result<Option<Vec<String>>> {
    let (n, o) = (
        domain_clauses(&new.definition),
        domain_clauses(&old.definition),
    );
    if !n.same_base(&o) {
        return Ok(None);
    }
    let name = d.qualified_name(new.schema.as_deref(), &new.name)?;
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let same = |a: &(Option<String>, String), b: &(Option<String>, String)| {
        a.0 == b.0 && words(&a.1) == words(&b.1)
    };
    let mut out = Vec::new();
    for gone in o
        .checks
        .iter()
        .filter(|c| !n.checks.iter().any(|k| same(c, k)))
    {
        let Some(check) = &gone.0 else {
            return Ok(None);
        };
        out.push(format!("ALTER DOMAIN {name} DROP CONSTRAINT {check}"));
    }
    if n.default.as_deref().map(words) != o.default.as_deref().map(words) {
        out.push(match &n.default {
            Some(e) => format!("ALTER DOMAIN {name} SET DEFAULT {e}"),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
        });
    }
    if n.not_null != o.not_null {
        let word = if n.not_null { "SET" } else { "DROP" };
        out.push(format!("ALTER DOMAIN {name} {word} NOT NULL"));
    }
    for come in n
        .checks
        .iter()
        .filter(|c| !o.checks.iter().any(|k| same(c, k)))
    {
        let named = come
            .0
            .as_ref()
            .map(|c| format!("CONSTRAINT {c} "))
            .unwrap_or_default();
        out.push(format!("ALTER DOMAIN {name} ADD {named}CHECK {}", come.1));
    }
    Ok(Some(out))
}

/// An aggregate's argument list as `CREATE`/`DROP AGGREGATE` take it: `*` for none
/// (`count(*)`-like aggregates; `pg_get_function_arguments` prints nothing for them).
pub(super) fn aggregate_arguments(arguments: &str) -> String {
    if arguments.trim().is_empty() {
        "*".to_owned()
    } else {
        arguments.trim().to_owned()
    }
}

const TAG: &str = "$retort_replace$";

pub(super) fn replace_entity(
    d: &Postgres,
    entity: &Entity,
    existing: Option<&Entity>,
) -> Result<Vec<String>> {
    match (entity, existing) {
        (Entity::Extension(e), old) => {
            let old = match old {
                Some(Entity::Extension(o)) => Some(o),
                _ => None,
            };
            return extensions::replace_extension(d, e, old);
        }
        (Entity::SchemaComment(c), _) => return Ok(vec![extensions::schema_comment(d, c)?]),
        (Entity::Domain(new), Some(Entity::Domain(old))) => {
            if let Some(out) = alter_domain(d, new, old)? {
                return Ok(out);
            }
        }
        (Entity::MaterializedView(v), Some(Entity::MaterializedView(old))) => {
            if let Some(out) = extensions::replace_matview_indexes(d, v, Some(old))? {
                return Ok(out);
            }
        }
        _ => {}
    }
    if let Some(out) = super::access::replace(d, entity, existing)? {
        return Ok(out);
    }
    let state = match entity {
        Entity::View(_) => "invalid_table_definition",
        Entity::Function(Function { .. }) => "invalid_function_definition",
        // `CREATE OR REPLACE` takes any change to a rule or an aggregate's options (not
        // its state type: the server refuses it, and the revision fails as it should).
        Entity::Rule(_) | Entity::Aggregate(_) => return Ok(vec![create(d, entity, true)?]),
        Entity::MaterializedView(v) => return replace_matview(d, v, existing),
        _ => {
            let mut out = drop_entity(d, &entity.key())?;
            out.extend(create_entity(d, entity)?);
            return Ok(out);
        }
    };
    refuse_tag(d, entity)?;
    let replace = d.string_literal(&create(d, entity, true)?)?;
    let drop = drop_entity(d, &entity.key())?.join("; ");
    let drop = d.string_literal(&drop)?;
    let create = d.string_literal(&create(d, entity, false)?)?;
    let block = match entity {
        Entity::View(v) => {
            let keep = Keep::new(d, "VIEW", v.schema.as_deref(), &v.name, None)?;
            format!(
                "DO {TAG}\n{DECLARE}BEGIN\n  EXECUTE {replace};\nEXCEPTION WHEN {state} THEN\n{}  EXECUTE {drop};\n  EXECUTE {create};\n{}END\n{TAG}",
                keep.save, keep.restore
            )
        }
        Entity::Function(f) => {
            let keep = KeepFunction::new(d, f, &entity.key())?;
            format!(
                "DO {TAG}\n{FUNCTION_DECLARE}BEGIN\n  EXECUTE {replace};\nEXCEPTION WHEN {state} THEN\n{}  EXECUTE {drop};\n{}  EXECUTE {create};\n{}END\n{TAG}",
                keep.save, keep.dropped, keep.restore
            )
        }
        _ => format!(
            "DO {TAG}\nBEGIN\n  EXECUTE {replace};\nEXCEPTION WHEN {state} THEN\n  EXECUTE {drop};\n  EXECUTE {create};\nEND\n{TAG}"
        ),
    };
    Ok(vec![block])
}

/// A materialized view whose query changes (it has no `OR REPLACE`): dropped and created
/// with the model's indexes, in one `DO` block that keeps what the drop takes ([`Keep`]).
fn replace_matview(
    d: &Postgres,
    v: &retort_core::MaterializedView,
    existing: Option<&Entity>,
) -> Result<Vec<String>> {
    let entity = Entity::from(v.clone());
    refuse_tag(d, &entity)?;
    let mut known: Vec<&str> = v.indexes.iter().map(|i| i.name.as_str()).collect();
    if let Some(Entity::MaterializedView(old)) = existing {
        known.extend(old.indexes.iter().map(|i| i.name.as_str()));
    }
    known.sort_unstable();
    known.dedup();
    let keep = Keep::new(
        d,
        "MATERIALIZED VIEW",
        v.schema.as_deref(),
        &v.name,
        Some(&known),
    )?;
    let mut run = String::new();
    for sql in drop_entity(d, &entity.key())?
        .iter()
        .chain(&create_entity(d, &entity)?)
    {
        run.push_str(&format!("  EXECUTE {};\n", d.string_literal(sql)?));
    }
    Ok(vec![format!(
        "DO {TAG}\n{DECLARE}BEGIN\n{}{run}{}END\n{TAG}",
        keep.save, keep.restore
    )])
}

/// A `DO` block holds its statements as string literals between `TAG`s: a definition or a
/// name that holds the tag would end the block early.
fn refuse_tag(d: &Postgres, entity: &Entity) -> Result<()> {
    let key = entity.key().to_string();
    let mut texts = vec![entity.definition(), key.as_str()];
    if let Entity::MaterializedView(v) = entity {
        texts.extend(v.indexes.iter().map(|i| i.definition.as_str()));
        texts.extend(v.indexes.iter().map(|i| i.name.as_str()));
    }
    if texts.iter().any(|t| t.contains(TAG)) {
        return Err(DialectError::unsupported(
            d.name(),
            format!("replacing {} whose definition holds `{TAG}`", entity.key()),
            "drop and create it in two operations instead",
        ));
    }
    Ok(())
}

/// The variables [`Keep`]'s statements use.
const DECLARE: &str = "DECLARE\n  _view regclass;\n  _name text;\n  _redo text[];\n  _column name[];\n  _i integer;\n";

/// What a view's or a materialized view's `DROP` takes with it and the model may not know,
/// kept across its drop and create (plpgsql, inside the `DO` block): `save` reads it before
/// the drop as the statements that put it back, `restore` runs them after the create. That
/// is a non-default owner, the grants on it and on its columns, its comment and its
/// columns', its columns' defaults, its rules (not `_RETURN`) and triggers with their
/// comments, and, for a materialized view, the indexes the model does not name (`known`:
/// the ones it makes or drops itself; `None` for a view, which has none). What belongs to a column the new definition lacks
/// (a comment, a grant, a default) goes with the column, as a dropped table column's
/// would; a rule, a trigger or an index that reads such a column fails the block with the
/// server's error, naming the statement, and nothing is changed.
struct Keep {
    save: String,
    restore: String,
}

impl Keep {
    fn new(
        d: &Postgres,
        kind: &str,
        schema: Option<&str>,
        name: &str,
        known: Option<&[&str]>,
    ) -> Result<Keep> {
        let name = d.string_literal(&d.qualified_name(schema, name)?)?;
        let indexes = match known {
            None => String::new(),
            Some(known) => {
                let known = known
                    .iter()
                    .map(|k| d.string_literal(k))
                    .collect::<Result<Vec<_>>>()?;
                let known = format!("ARRAY[{}]", known.join(", "));
                fill(
                    include_str!("../../queries/postgres/replace_keep_indexes.sql"),
                    &[("{{KNOWN_INDEXES}}", known.as_str())],
                )
            }
        };
        // One pass: a name may hold another placeholder's spelling.
        let save = fill(
            include_str!("../../queries/postgres/replace_keep_save.sql"),
            &[
                ("{{INDEXES}}", indexes.as_str()),
                ("{{KIND}}", kind),
                ("{{NAME}}", name.as_str()),
            ],
        );
        let restore = include_str!("../../queries/postgres/replace_keep_restore.sql").to_owned();
        Ok(Keep { save, restore })
    }
}

/// The variables [`KeepFunction`]'s statements use.
const FUNCTION_DECLARE: &str = "DECLARE\n  _redo text[];\n  _fn oid[];\n  _i integer;\n";

/// What a function's or a procedure's `DROP` takes with it and the model may not know,
/// kept across its drop and create (plpgsql, inside the `DO` block): a non-default owner,
/// its grants (exactly: a revoked `PUBLIC` execute stays revoked, which a create alone
/// would give back) and its comment. `save` reads them for every function of its name
/// before the drop, `dropped` keeps only the one the drop took (the server resolves the
/// signature, which may hold argument names that a `regprocedure` cast refuses), and
/// `restore` runs them on the new one after the create.
struct KeepFunction {
    save: String,
    dropped: String,
    restore: String,
}

impl KeepFunction {
    fn new(d: &Postgres, f: &Function, key: &EntityKey) -> Result<KeepFunction> {
        let kind = if f.procedure { "PROCEDURE" } else { "FUNCTION" };
        let signature = format!(
            "{}({})",
            d.qualified_name(f.schema.as_deref(), &f.name)?,
            key.arguments.as_deref().unwrap_or("")
        );
        let signature = d.string_literal(&signature)?;
        let name = d.string_literal(&f.name)?;
        // Unqualified: the drop finds it on the search path; any schema's may be the one.
        let in_schema = match &f.schema {
            Some(s) => format!("n.nspname = {}", d.string_literal(s)?),
            None => "true".to_owned(),
        };
        let values = [
            ("{{KIND}}", kind),
            ("{{SIGNATURE}}", signature.as_str()),
            ("{{NAME}}", name.as_str()),
            ("{{IN_SCHEMA}}", in_schema.as_str()),
        ];
        Ok(KeepFunction {
            save: fill(
                include_str!("../../queries/postgres/replace_keep_function_save.sql"),
                &values,
            ),
            dropped: include_str!("../../queries/postgres/replace_keep_function_dropped.sql")
                .to_owned(),
            restore: fill(
                include_str!("../../queries/postgres/replace_keep_function_restore.sql"),
                &values,
            ),
        })
    }
}

/// `template` with each `{{KEY}}` replaced by its value, in one pass: a value that holds
/// another key's placeholder (a quoted name may) is not filled again.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match values.iter().find(|(k, _)| rest.starts_with(k)) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &rest[k.len()..];
            }
            None => {
                out.push_str("{{");
                rest = &rest[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::{Aggregate, Rule};

    fn year(definition: &str) -> Domain {
        Domain::new("year", definition).in_schema("films")
    }

    #[test]
    fn domains_aggregates_and_rules_are_created_and_dropped_by_their_keys() {
        let pg = Postgres;
        let sql = |e: Entity| create_entity(&pg, &e).unwrap().join("; ");
        assert_eq!(
            sql(year("AS integer NOT NULL").into()),
            "CREATE DOMAIN films.year AS integer NOT NULL"
        );
        let concat = Aggregate::new(
            "group_concat",
            "text",
            "(SFUNC = _group_concat, STYPE = text)",
        );
        assert_eq!(
            sql(concat.clone().into()),
            "CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text)"
        );
        let count = Aggregate::new(
            "my_count",
            "",
            "(SFUNC = int8inc, STYPE = int8, INITCOND = '0')",
        );
        assert_eq!(
            sql(count.clone().into()),
            "CREATE AGGREGATE my_count(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0')"
        );
        let rule = Rule::new(
            "Payment",
            "No Negatives",
            "AS ON INSERT TO \"Payment\" WHERE new.amount < 0 DO INSTEAD NOTHING",
        );
        assert_eq!(
            sql(rule.clone().into()),
            "CREATE RULE \"No Negatives\" AS ON INSERT TO \"Payment\" WHERE new.amount < 0 DO INSTEAD NOTHING"
        );
        let drop = |e: Entity| drop_entity(&pg, &e.key()).unwrap().join("; ");
        assert_eq!(drop(year("AS integer").into()), "DROP DOMAIN films.year");
        assert_eq!(drop(concat.into()), "DROP AGGREGATE group_concat(text)");
        assert_eq!(drop(count.into()), "DROP AGGREGATE my_count(*)");
        assert_eq!(
            drop(rule.clone().into()),
            "DROP RULE \"No Negatives\" ON \"Payment\""
        );
        // A rule and an aggregate take CREATE OR REPLACE.
        let replaced = replace_entity(&pg, &rule.clone().into(), Some(&rule.into())).unwrap();
        assert_eq!(replaced.len(), 1);
        assert!(
            replaced[0].starts_with("CREATE OR REPLACE RULE \"No Negatives\" AS"),
            "{replaced:?}"
        );
    }

    #[test]
    fn a_view_or_matview_dropped_and_created_keeps_what_hangs_on_it() {
        use retort_core::{MaterializedView, View};
        let pg = Postgres;
        let v = View::new("Item View", "SELECT 1 AS n");
        let block = replace_entity(&pg, &v.clone().into(), Some(&v.into())).unwrap();
        let [block] = block.as_slice() else {
            panic!("{block:?}")
        };
        let at = |s: &str| block.find(s).unwrap_or_else(|| panic!("{s}: {block}"));
        // The replace is tried first; saved after it is refused, before the drop; put back
        // after the create.
        assert!(
            at("EXECUTE 'CREATE OR REPLACE VIEW \"Item View\"") < at("invalid_table_definition")
        );
        assert!(at("invalid_table_definition") < at("_view := '\"Item View\"'::regclass"));
        assert!(at("pg_get_triggerdef") < at("EXECUTE 'DROP VIEW \"Item View\"'"));
        assert!(at("EXECUTE 'CREATE VIEW \"Item View\"") < at("EXECUTE _redo[_i]"));
        assert!(!block.contains("pg_get_indexdef"), "a view has no indexes");

        let mv = |q: &str| MaterializedView::new("totals", q).index("totals_n", "(n)");
        let sql = replace_entity(
            &pg,
            &mv("SELECT 2 AS n").into(),
            Some(&mv("SELECT 1 AS n").into()),
        )
        .unwrap();
        let [block] = sql.as_slice() else {
            panic!("{sql:?}")
        };
        let at = |s: &str| block.find(s).unwrap_or_else(|| panic!("{s}: {block}"));
        assert!(
            at("i.relname <> ALL (ARRAY['totals_n']::text[])")
                < at("EXECUTE 'DROP MATERIALIZED VIEW totals'")
        );
        assert!(at("EXECUTE 'CREATE INDEX totals_n ON totals (n)'") < at("EXECUTE _redo[_i]"));
        // An index named like one of the templates' placeholders stays as written in the
        // list of the model's own (filled in one pass, as KeepFunction's).
        let braced = |q: &str| MaterializedView::new("totals", q).index("{{NAME}}", "(n)");
        let sql = replace_entity(
            &pg,
            &braced("SELECT 2 AS n").into(),
            Some(&braced("SELECT 1 AS n").into()),
        )
        .unwrap();
        assert!(
            sql[0].contains("i.relname <> ALL (ARRAY['{{NAME}}']::text[])"),
            "{}",
            sql[0]
        );
        // A name that holds the block's tag is refused, not spliced in.
        let tagged = MaterializedView::new("totals", "SELECT 2 AS n").index(TAG, "(n)");
        assert!(replace_entity(&pg, &tagged.into(), Some(&mv("SELECT 1 AS n").into())).is_err());
    }

    #[test]
    fn a_function_dropped_and_created_keeps_its_grants_comment_and_owner() {
        let pg = Postgres;
        let f = |result: &str| -> Entity {
            Function::new(
                "Price",
                "id integer",
                format!("RETURNS {result} AS $$ 1 $$"),
            )
            .in_schema("shop")
            .into()
        };
        let sql = replace_entity(&pg, &f("numeric"), Some(&f("integer"))).unwrap();
        let [block] = sql.as_slice() else {
            panic!("{sql:?}")
        };
        let at = |s: &str| block.find(s).unwrap_or_else(|| panic!("{s}: {block}"));
        // Saved once the replace is refused, before the drop; narrowed to the function the
        // drop took; put back after the create, on the signature the drop named.
        assert!(
            at("EXECUTE 'CREATE OR REPLACE FUNCTION shop.\"Price\"")
                < at("invalid_function_definition")
        );
        assert!(
            at("invalid_function_definition") < at("p.proname = 'Price' AND n.nspname = 'shop'")
        );
        assert!(
            at("'REVOKE ALL ON FUNCTION %s FROM PUBLIC', 'shop.\"Price\"(id integer)'")
                < at("EXECUTE 'DROP FUNCTION shop.\"Price\"(id integer)'")
        );
        assert!(at("EXECUTE 'DROP FUNCTION") < at("generate_subscripts(_fn, 1)"));
        assert!(at("generate_subscripts(_fn, 1)") < at("EXECUTE 'CREATE FUNCTION"));
        assert!(at("EXECUTE 'CREATE FUNCTION") < at("EXECUTE _redo[_i]"));
        // A procedure puts back with PROCEDURE.
        let p = |default: &str| -> Entity {
            Function::procedure("tidy", format!("n integer{default}"), "AS $$ $$").into()
        };
        let sql = replace_entity(&pg, &p(""), Some(&p(" DEFAULT 1"))).unwrap();
        assert!(
            sql[0].contains("'COMMENT ON PROCEDURE %s IS %L', 'tidy(n integer)'"),
            "{sql:?}"
        );
        assert!(sql[0].contains("p.proname = 'tidy' AND true"), "{sql:?}");
    }

    #[test]
    fn placeholders_are_filled_once() {
        let values = [("{{A}}", "'{{B}}'"), ("{{B}}", "b")];
        assert_eq!(fill("{{A}} {{B}} {{C}}", &values), "'{{B}}' b {{C}}");
    }

    #[test]
    fn a_domain_of_the_same_base_type_is_altered_not_dropped() {
        let pg = Postgres;
        let old = year(
            "AS integer DEFAULT 1999 CONSTRAINT year_min CHECK (VALUE >= 1901) CONSTRAINT year_max CHECK (VALUE <= 2155)",
        );
        let new =
            year("AS int NOT NULL CONSTRAINT year_min CHECK (VALUE >= 1901) CHECK (VALUE <> 2000)");
        let sql = replace_entity(&pg, &new.clone().into(), Some(&old.clone().into())).unwrap();
        assert_eq!(
            sql,
            [
                "ALTER DOMAIN films.year DROP CONSTRAINT year_max",
                "ALTER DOMAIN films.year DROP DEFAULT",
                "ALTER DOMAIN films.year SET NOT NULL",
                "ALTER DOMAIN films.year ADD CHECK (VALUE <> 2000)",
            ]
        );
        // An unnamed check that goes, or another base type: dropped and created.
        let sql = replace_entity(&pg, &old.clone().into(), Some(&new.clone().into())).unwrap();
        assert_eq!(sql[0], "DROP DOMAIN films.year", "{sql:?}");
        let wider = year("AS bigint");
        let sql = replace_entity(&pg, &wider.into(), Some(&year("AS integer").into())).unwrap();
        assert_eq!(
            sql,
            [
                "DROP DOMAIN films.year",
                "CREATE DOMAIN films.year AS bigint"
            ]
        );
    }
}

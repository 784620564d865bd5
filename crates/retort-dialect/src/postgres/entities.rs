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
//! aggregates take `CREATE OR REPLACE`; a domain is dropped and created (the server refuses
//! the drop while a column is of it, rather than losing the column).
//! Extensions, schemas' comments and materialized views' indexes: `postgres::extensions`.

use retort_core::{Entity, EntityKey, EntityKind, Function};

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
        _ => {
            let mut out = drop_entity(d, &entity.key())?;
            out.extend(create_entity(d, entity)?);
            return Ok(out);
        }
    };
    let replace = d.string_literal(&create(d, entity, true)?)?;
    let drop = drop_entity(d, &entity.key())?.join("; ");
    let drop = d.string_literal(&drop)?;
    let create = d.string_literal(&create(d, entity, false)?)?;
    let block = format!(
        "DO {TAG}\nBEGIN\n  EXECUTE {replace};\nEXCEPTION WHEN {state} THEN\n  EXECUTE {drop};\n  EXECUTE {create};\nEND\n{TAG}"
    );
    if entity.definition().contains(TAG) {
        return Err(DialectError::unsupported(
            d.name(),
            format!("replacing {} whose definition holds `{TAG}`", entity.key()),
            "drop and create it in two operations instead",
        ));
    }
    Ok(vec![block])
}

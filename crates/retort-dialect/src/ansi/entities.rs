//! Entities (views, functions, triggers) in standard SQL: `CREATE VIEW`, `CREATE TRIGGER
//! name <definition>`, and a replacement as drop then create (what SQLite needs, and what
//! works everywhere). Materialized views, functions and procedures have no standard
//! spelling: the defaults refuse them by name; PostgreSQL overrides all of it
//! (`postgres::entities`).

use retort_core::{Entity, EntityKey, EntityKind};

use crate::{Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

fn unsupported<D: Dialect + ?Sized>(d: &D, what: String) -> DialectError {
    DialectError::unsupported(
        d.name(),
        what,
        "leave it out of the model for this database (or create it with op.execute(..))",
    )
}

/// See [`Dialect::create_entity`].
pub fn create_entity<D: Dialect + ?Sized>(d: &D, entity: &Entity) -> Result<Vec<String>> {
    match entity {
        Entity::View(v) => Ok(vec![format!(
            "CREATE VIEW {} AS {}",
            d.qualified_name(v.schema.as_deref(), &v.name)?,
            body(&v.definition)
        )]),
        Entity::Trigger(t) => Ok(vec![format!(
            "CREATE TRIGGER {} {}",
            d.quote_identifier(&t.name)?,
            body(&t.definition)
        )]),
        Entity::MaterializedView(_) | Entity::Function(_) => {
            Err(unsupported(d, entity.key().to_string()))
        }
        other => Err(unsupported(d, other.key().to_string())),
    }
}

/// See [`Dialect::drop_entity`].
pub fn drop_entity<D: Dialect + ?Sized>(d: &D, key: &EntityKey) -> Result<Vec<String>> {
    match key.kind {
        EntityKind::View => Ok(vec![format!(
            "DROP VIEW {}",
            d.qualified_name(key.schema.as_deref(), &key.name)?
        )]),
        EntityKind::Trigger => Ok(vec![format!(
            "DROP TRIGGER {}",
            d.qualified_name(key.schema.as_deref(), &key.name)?
        )]),
        _ => Err(unsupported(d, key.to_string())),
    }
}

/// See [`Dialect::replace_entity`]: drop, then create.
pub fn replace_entity<D: Dialect + ?Sized>(d: &D, entity: &Entity) -> Result<Vec<String>> {
    let mut out = d.drop_entity(&entity.key())?;
    out.extend(d.create_entity(entity)?);
    Ok(out)
}

/// A definition as a statement's tail: surrounding white space and a final `;` go (the
/// runner ends statements itself), the inside is passed through as written.
pub fn body(definition: &str) -> String {
    crate::sql_text::without_terminator(definition.trim())
}

//! PostgreSQL's DDL for extensions, schemas' comments and materialized views' indexes
//! (`postgres::entities` hands these kinds over).
//!
//! * An extension is created `IF NOT EXISTS` (a database already having it is no error, as
//!   `pg_dump` restores it); a change moves it (`ALTER EXTENSION .. SET SCHEMA`) or updates
//!   it (`ALTER EXTENSION .. UPDATE TO`). Contrib extensions ship no scripts to go back a
//!   version, so an update the server finds no path for (SQLSTATE 22023,
//!   `invalid_parameter_value`) drops the extension and creates it at that version, in one
//!   `DO` block; the drop has no `CASCADE`, so an extension something uses is refused by
//!   the server, naming what uses it, rather than taking it along. Dropped without
//!   `CASCADE` for the same reason.
//! * A schema's comment is `COMMENT ON SCHEMA`; dropping it sets it to `NULL`.
//! * A materialized view's indexes follow its `CREATE MATERIALIZED VIEW`; a change that
//!   leaves the query alone drops and creates only the indexes that changed, one that
//!   changes the query drops and creates the view with all its indexes.

use retort_core::{EntityKey, Extension, MaterializedView, MatviewIndex, SchemaComment};

use super::Postgres;
use crate::ansi::entities::body;
use crate::{Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

/// `CREATE EXTENSION IF NOT EXISTS name [WITH SCHEMA s] [VERSION 'v']`.
pub(super) fn create_extension(d: &Postgres, e: &Extension) -> Result<String> {
    Ok(format!(
        "CREATE EXTENSION IF NOT EXISTS {}{}",
        d.quote_identifier(&e.name)?,
        clauses(d, e)?
    ))
}

fn clauses(d: &Postgres, e: &Extension) -> Result<String> {
    let mut out = String::new();
    if let Some(s) = &e.schema {
        out.push_str(&format!(" WITH SCHEMA {}", d.quote_identifier(s)?));
    }
    if let Some(v) = &e.version {
        out.push_str(&format!(" VERSION {}", d.string_literal(v)?));
    }
    Ok(out)
}

/// `DROP EXTENSION name` (no `CASCADE`: what uses it stops the drop).
pub(super) fn drop_extension(d: &Postgres, key: &EntityKey) -> Result<String> {
    Ok(format!("DROP EXTENSION {}", d.quote_identifier(&key.name)?))
}

const TAG: &str = "$retort_extension$";

/// Moves and updates `existing` (when recorded) into `e`: only what `e` sets and
/// `existing` has otherwise (everything `e` sets when nothing is recorded).
pub(super) fn replace_extension(
    d: &Postgres,
    e: &Extension,
    existing: Option<&Extension>,
) -> Result<Vec<String>> {
    let name = d.quote_identifier(&e.name)?;
    let changes = |new: &Option<String>, old: Option<&Option<String>>| match (new, old) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(n), Some(o)) => o.as_ref() != Some(n),
    };
    let mut out = Vec::new();
    if changes(&e.schema, existing.map(|x| &x.schema)) {
        if let Some(s) = &e.schema {
            out.push(format!(
                "ALTER EXTENSION {name} SET SCHEMA {}",
                d.quote_identifier(s)?
            ));
        }
    }
    if changes(&e.version, existing.map(|x| &x.version)) {
        if let Some(v) = &e.version {
            let update = format!("ALTER EXTENSION {name} UPDATE TO {}", d.string_literal(v)?);
            let drop = format!("DROP EXTENSION {name}");
            let create = format!("CREATE EXTENSION {name}{}", clauses(d, e)?);
            if [&update, &create].iter().any(|s| s.contains(TAG)) {
                return Err(DialectError::unsupported(
                    d.name(),
                    format!("updating extension {} with `{TAG}` in it", e.name),
                    "update it with op.execute(..)",
                ));
            }
            out.push(format!(
                "DO {TAG}\nBEGIN\n  EXECUTE {};\nEXCEPTION WHEN invalid_parameter_value THEN\n  EXECUTE {};\n  EXECUTE {};\nEND\n{TAG}",
                d.string_literal(&update)?,
                d.string_literal(&drop)?,
                d.string_literal(&create)?
            ));
        }
    }
    Ok(out)
}

/// `COMMENT ON SCHEMA s IS 'comment'` (`IS NULL` for `None`).
pub(super) fn comment_on_schema(
    d: &Postgres,
    schema: &str,
    comment: Option<&str>,
) -> Result<String> {
    Ok(format!(
        "COMMENT ON SCHEMA {} IS {}",
        d.quote_identifier(schema)?,
        match comment {
            Some(c) => d.string_literal(c)?,
            None => "NULL".to_owned(),
        }
    ))
}

/// See [`comment_on_schema`]: a comment's schema is always named.
pub(super) fn schema_comment(d: &Postgres, c: &SchemaComment) -> Result<String> {
    comment_on_schema(d, c.schema.as_deref().unwrap_or("public"), Some(&c.comment))
}

/// `CREATE [UNIQUE] INDEX name ON view <definition>` for each index of `v`.
pub(super) fn create_matview_indexes(d: &Postgres, v: &MaterializedView) -> Result<Vec<String>> {
    v.indexes.iter().map(|i| create_index(d, v, i)).collect()
}

fn create_index(d: &Postgres, v: &MaterializedView, i: &MatviewIndex) -> Result<String> {
    Ok(format!(
        "CREATE {}INDEX {} ON {} {}",
        if i.unique { "UNIQUE " } else { "" },
        d.quote_identifier(&i.name)?,
        d.qualified_name(v.schema.as_deref(), &v.name)?,
        body(&i.definition)
    ))
}

/// The statements that take `existing` to `v` by its indexes alone, or `None` when the
/// query (or `WITH NO DATA`) changes too, or nothing says what exists: then the view is
/// dropped and created with its indexes.
pub(super) fn replace_matview_indexes(
    d: &Postgres,
    v: &MaterializedView,
    existing: Option<&MaterializedView>,
) -> Result<Option<Vec<String>>> {
    let Some(old) = existing else {
        return Ok(None);
    };
    let text = |s: &str| crate::sql_text::without_terminator(s.trim());
    if text(&old.definition) != text(&v.definition) || old.with_data != v.with_data {
        return Ok(None);
    }
    let same = |a: &MatviewIndex, b: &MatviewIndex| {
        a.name == b.name && a.unique == b.unique && text(&a.definition) == text(&b.definition)
    };
    let mut out = Vec::new();
    for o in &old.indexes {
        if !v.indexes.iter().any(|n| same(n, o)) {
            out.push(format!(
                "DROP INDEX {}",
                d.qualified_name(v.schema.as_deref(), &o.name)?
            ));
        }
    }
    for n in &v.indexes {
        if !old.indexes.iter().any(|o| same(n, o)) {
            out.push(create_index(d, v, n)?);
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::Entity;

    #[test]
    fn extensions_are_created_moved_updated_and_dropped_without_cascade() {
        let pg = Postgres;
        let e = Extension::new("uuid-ossp").in_schema("ext").version("1.1");
        assert_eq!(
            create_extension(&pg, &e).unwrap(),
            "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA ext VERSION '1.1'"
        );
        assert_eq!(
            create_extension(&pg, &Extension::new("citext")).unwrap(),
            "CREATE EXTENSION IF NOT EXISTS citext"
        );
        assert_eq!(
            drop_extension(&pg, &Entity::from(e.clone()).key()).unwrap(),
            "DROP EXTENSION \"uuid-ossp\""
        );
        let old = Extension::new("uuid-ossp")
            .in_schema("public")
            .version("1.1");
        assert_eq!(
            replace_extension(&pg, &e, Some(&old)).unwrap(),
            ["ALTER EXTENSION \"uuid-ossp\" SET SCHEMA ext"]
        );
        let newer = Extension::new("hstore").version("1.8");
        let older = Extension::new("hstore").in_schema("public").version("1.7");
        let sql = replace_extension(&pg, &newer, Some(&older)).unwrap();
        assert_eq!(sql.len(), 1);
        assert!(
            sql[0].contains("EXECUTE 'ALTER EXTENSION hstore UPDATE TO ''1.8''';"),
            "{}",
            sql[0]
        );
        assert!(sql[0].contains("WHEN invalid_parameter_value THEN"));
        assert!(
            sql[0].contains("EXECUTE 'DROP EXTENSION hstore';"),
            "{}",
            sql[0]
        );
        assert!(sql[0].contains("EXECUTE 'CREATE EXTENSION hstore VERSION ''1.8''';"));
        // Unset on the new side: nothing to do there.
        assert!(
            replace_extension(&pg, &Extension::new("hstore"), Some(&older))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn index_changes_alone_leave_the_view() {
        let pg = Postgres;
        let old = MaterializedView::new("totals", "SELECT 1 AS n")
            .unique_index("totals_n", "(n)")
            .index("totals_gone", "(n)");
        let new = MaterializedView::new("totals", "SELECT 1 AS n")
            .unique_index("totals_n", "(n)")
            .index("totals_new", "USING btree (n DESC)")
            .in_schema("app");
        let old = MaterializedView {
            schema: Some("app".into()),
            ..old
        };
        assert_eq!(
            replace_matview_indexes(&pg, &new, Some(&old)).unwrap(),
            Some(vec![
                "DROP INDEX app.totals_gone".to_owned(),
                "CREATE INDEX totals_new ON app.totals USING btree (n DESC)".to_owned()
            ])
        );
        let changed = MaterializedView::new("totals", "SELECT 2 AS n");
        assert_eq!(
            replace_matview_indexes(&pg, &changed, Some(&old)).unwrap(),
            None
        );
        assert_eq!(
            schema_comment(&pg, &SchemaComment::new("app", "it's")).unwrap(),
            "COMMENT ON SCHEMA app IS 'it''s'"
        );
    }
}

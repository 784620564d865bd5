//! Reading extensions, schemas' comments and materialized views' indexes back from
//! PostgreSQL's catalog: three more queries for all of them at once
//! (`queries/postgres/{extensions,schema_comments,matview_indexes}.sql`) and the pure
//! builders `postgres::entity_catalog` calls.
//!
//! An extension and a schema's comment are read with their schema spelled out, also for
//! the default schema (an extension's key has no schema, and a comment's schema is the
//! object itself), so `SchemaComment::new("public", ..)` finds `public`'s.

#[cfg(test)]
use retort_core::MaterializedView;
use retort_core::{Entity, Extension, MatviewIndex, SchemaComment};

use crate::table_dependents::TextRow;

/// The three queries, each with the file it comes from.
pub(crate) const QUERIES: [(&str, &str); 3] = [
    (
        "queries/postgres/extensions.sql",
        include_str!("../../queries/postgres/extensions.sql"),
    ),
    (
        "queries/postgres/schema_comments.sql",
        include_str!("../../queries/postgres/schema_comments.sql"),
    ),
    (
        "queries/postgres/matview_indexes.sql",
        include_str!("../../queries/postgres/matview_indexes.sql"),
    ),
];

fn field(row: &TextRow, i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

/// The rows of `extensions.sql` as extensions with their object ids, schema and version
/// always set, each `.after(..)` the extensions it requires (so they are dropped after it).
pub fn build_extensions(rows: &[TextRow]) -> Vec<(u32, Entity)> {
    rows.iter()
        .map(|row| {
            let e = Extension {
                name: field(row, 0),
                schema: Some(field(row, 1)),
                version: Some(field(row, 2)),
                after: field(row, 4)
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                only_on: Vec::new(),
            };
            (field(row, 3).parse().unwrap_or(0), e.into())
        })
        .collect()
}

/// The rows of `schema_comments.sql` as schemas' comments (with the schema's id).
pub fn build_schema_comments(rows: &[TextRow]) -> Vec<(u32, Entity)> {
    rows.iter()
        .map(|row| {
            let c = SchemaComment::new(field(row, 0), field(row, 1));
            (field(row, 2).parse().unwrap_or(0), c.into())
        })
        .collect()
}

/// Gives each materialized view of `entities` its indexes from the rows of
/// `matview_indexes.sql`; `default_schema` is the schema views there carry as `None`.
pub fn attach_matview_indexes(
    entities: &mut [(u32, Entity)],
    rows: &[TextRow],
    default_schema: &str,
) {
    for row in rows {
        let schema = Some(field(row, 0)).filter(|s| s != default_schema);
        let view = field(row, 1);
        let def = field(row, 4);
        let head = field(row, 5);
        let index = MatviewIndex {
            name: field(row, 2),
            unique: field(row, 3) == "true",
            definition: def.strip_prefix(&head).unwrap_or(&def).trim().to_owned(),
        };
        let found = entities.iter_mut().find_map(|(_, e)| match e {
            Entity::MaterializedView(v) if v.name == view && v.schema == schema => Some(v),
            _ => None,
        });
        if let Some(v) = found {
            v.indexes.push(index);
        }
    }
}

/// Whether the extension read from the database is compared: its objects are in a schema
/// read (`schemas`), the model names it, or it is `plpgsql` (the server's own, which the
/// model may name).
pub fn extension_is_read(e: &Entity, schemas: &[String], model: &[Entity]) -> bool {
    let Entity::Extension(x) = e else {
        return true;
    };
    x.name == "plpgsql"
        || x.schema.as_ref().is_some_and(|s| schemas.contains(s))
        || model
            .iter()
            .any(|m| matches!(m, Entity::Extension(y) if y.name == x.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(schema: Option<&str>, name: &str) -> (u32, Entity) {
        let mut v = MaterializedView::new(name, "SELECT 1 AS n");
        v.schema = schema.map(str::to_owned);
        (1, v.into())
    }

    fn row(values: &[&str]) -> TextRow {
        values.iter().map(|v| Some(v.to_string())).collect()
    }

    #[test]
    fn rows_become_extensions_comments_and_indexes() {
        let ext = build_extensions(&[
            row(&["citext", "public", "1.6", "7"]),
            row(&["earthdistance", "public", "1.1", "8", "cube"]),
        ]);
        assert_eq!(ext[1].1.after(), ["cube"]);
        assert_eq!(
            ext[0].1,
            Entity::from(Extension::new("citext").in_schema("public").version("1.6"))
        );
        assert_eq!(ext[0].1.key().to_string(), "extension citext");
        let comments = build_schema_comments(&[row(&["app", "The app's", "9"])]);
        assert_eq!(comments[0].1, SchemaComment::new("app", "The app's").into());
        assert_eq!(comments[0].1.key().to_string(), "comment on schema app");
        let mut views = vec![view(None, "totals"), view(Some("app"), "totals")];
        attach_matview_indexes(
            &mut views,
            &[row(&[
                "app",
                "totals",
                "Odd Name",
                "true",
                "CREATE UNIQUE INDEX \"Odd Name\" ON app.totals USING btree (n DESC) WHERE (n > 0)",
                "CREATE UNIQUE INDEX \"Odd Name\" ON app.totals ",
            ])],
            "public",
        );
        let Entity::MaterializedView(v) = &views[1].1 else {
            panic!()
        };
        assert_eq!(
            v.indexes,
            [MatviewIndex {
                name: "Odd Name".into(),
                unique: true,
                definition: "USING btree (n DESC) WHERE (n > 0)".into()
            }]
        );
        assert!(matches!(&views[0].1, Entity::MaterializedView(v) if v.indexes.is_empty()));
    }

    #[test]
    fn extensions_are_read_where_tables_are_or_where_the_model_names_them() {
        let schemas = vec!["public".to_owned()];
        let at = |s: &str| Entity::from(Extension::new("x").in_schema(s));
        assert!(extension_is_read(&at("public"), &schemas, &[]));
        assert!(!extension_is_read(&at("extensions"), &schemas, &[]));
        assert!(extension_is_read(
            &at("extensions"),
            &schemas,
            &[Extension::new("x").into()]
        ));
        let plpgsql = Entity::from(Extension::new("plpgsql").in_schema("pg_catalog"));
        assert!(extension_is_read(&plpgsql, &schemas, &[]));
    }
}

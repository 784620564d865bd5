//! The table columns PostgreSQL's entities read, from `pg_depend`
//! (`queries/postgres/entity_columns.sql`, one query for every entity of the schemas read):
//! what autogenerate drops and re-creates around a dropped or retyped column beside what the
//! definitions name (`retort_core::reads_column`), since the catalog also sees a view's
//! `SELECT *` and a trigger's `WHEN`.

use retort_core::{EntityColumn, EntityKey, EntityKind};

use crate::table_dependents::TextRow;

/// The query (`queries/postgres/entity_columns.sql`) and its file.
pub(crate) const ENTITY_COLUMNS: (&str, &str) = (
    "queries/postgres/entity_columns.sql",
    include_str!("../../queries/postgres/entity_columns.sql"),
);

/// The rows of the entity columns query as [`EntityColumn`]s; objects of `default_schema`
/// carry no schema, as the entities read beside them do.
pub fn build_entity_columns(rows: &[TextRow], default_schema: &str) -> Vec<EntityColumn> {
    let f = |row: &TextRow, i: usize| row.get(i).cloned().flatten();
    let schema = |s: Option<String>| s.filter(|s| s != default_schema);
    rows.iter()
        .filter_map(|row| {
            let kind = match f(row, 2)?.as_str() {
                "v" => EntityKind::View,
                "m" => EntityKind::MaterializedView,
                "f" => EntityKind::Function,
                "p" => EntityKind::Procedure,
                "t" => EntityKind::Trigger,
                _ => return None,
            };
            Some(EntityColumn {
                entity: EntityKey {
                    kind,
                    schema: schema(f(row, 0)),
                    name: f(row, 1)?,
                    table: f(row, 3),
                    arguments: f(row, 4).map(|a| retort_core::identity_arguments(&a)),
                    grant: None,
                },
                schema: schema(f(row, 5)),
                table: f(row, 6)?,
                column: f(row, 7)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(v: &[Option<&str>]) -> TextRow {
        v.iter().map(|s| s.map(str::to_owned)).collect()
    }

    #[test]
    fn rows_become_entity_columns() {
        let rows = vec![
            row(&[
                Some("public"),
                Some("totals"),
                Some("v"),
                None,
                None,
                Some("public"),
                Some("orders"),
                Some("total"),
            ]),
            row(&[
                Some("app"),
                Some("n"),
                Some("f"),
                None,
                Some("o integer DEFAULT 1"),
                Some("app"),
                Some("orders"),
                Some("total"),
            ]),
            row(&[
                Some("public"),
                Some("touch"),
                Some("t"),
                Some("orders"),
                None,
                Some("public"),
                Some("orders"),
                Some("total"),
            ]),
        ];
        let got: Vec<String> = build_entity_columns(&rows, "public")
            .iter()
            .map(|c| format!("{} reads {:?}.{}.{}", c.entity, c.schema, c.table, c.column))
            .collect();
        assert_eq!(
            got,
            [
                "view totals reads None.orders.total",
                "function app.n(o integer) reads Some(\"app\").orders.total",
                "trigger touch on orders reads None.orders.total",
            ]
        );
    }
}

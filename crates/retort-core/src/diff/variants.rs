//! Per-dialect variants back into the diff's ops.
//!
//! The comparison sees both schemas as one database has them (`MetaData::for_dialect`), so
//! an introspected SQLite schema is compared with the model's SQLite variants. The ops it
//! writes must still carry every dialect's choice, or a revision generated against one
//! database would hard-code that database's values and the history would not run the same
//! on the other: [`restore_variants`] puts the model's (and, for old values, the current
//! schema's) variant-carrying types and defaults back where a resolved one stands.

use crate::ops::Op;
use crate::{Column, MetaData, Table};

fn find_table<'a>(md: &'a MetaData, schema: Option<&str>, name: &str) -> Option<&'a Table> {
    let default = md.default_schema();
    md.tables()
        .iter()
        .find(|t| t.name == name && t.schema.as_deref().or(default) == schema.or(default))
}

fn variant_column<'a>(
    md: &'a MetaData,
    schema: Option<&str>,
    table: &str,
    column: &str,
) -> Option<&'a Column> {
    find_table(md, schema, table)?
        .columns
        .iter()
        .find(|c| c.name == column && c.has_variant())
}

/// See the module notes. `current` and `model` are the schemas before resolving.
pub fn restore_variants(ops: &mut [Op], current: &MetaData, model: &MetaData) {
    if !current.has_variant() && !model.has_variant() {
        return;
    }
    for op in ops {
        match op {
            Op::CreateTable { table } => {
                let (schema, name) = (table.schema.clone(), table.name.clone());
                for c in &mut table.columns {
                    if let Some(m) = variant_column(model, schema.as_deref(), &name, &c.name) {
                        *c = m.clone();
                    }
                }
            }
            Op::AddColumn {
                schema,
                table,
                column,
            } => {
                if let Some(m) = variant_column(model, schema.as_deref(), table, &column.name) {
                    *column = m.clone();
                }
            }
            Op::DropTable {
                schema,
                name,
                existing: Some(t),
                ..
            } => {
                for c in &mut t.columns {
                    if let Some(m) = variant_column(current, schema.as_deref(), name, &c.name) {
                        *c = m.clone();
                    }
                }
            }
            Op::DropColumn {
                schema,
                table,
                column,
                existing: Some(c),
                ..
            } => {
                if let Some(m) = variant_column(current, schema.as_deref(), table, column) {
                    *c = m.clone();
                }
            }
            Op::AlterColumn(a) => {
                let (schema, table, column) = (a.schema.as_deref(), &a.table, &a.column);
                if let Some(m) = variant_column(model, schema, table, column) {
                    if a.type_.is_some() && m.ty.has_variant() {
                        a.type_ = Some(m.ty.clone());
                    }
                    if a.server_default.is_some() {
                        if let Some(d) = m.server_default.as_ref().filter(|d| d.has_variant()) {
                            a.server_default = Some(Some(d.clone()));
                        }
                    }
                }
                if let Some(c) = variant_column(current, schema, table, column) {
                    if a.existing_type.is_some() && c.ty.has_variant() {
                        a.existing_type = Some(c.ty.clone());
                    }
                    if a.existing_server_default.is_some() {
                        if let Some(d) = c.server_default.as_ref().filter(|d| d.has_variant()) {
                            a.existing_server_default = Some(Some(d.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, DiffOptions};
    use crate::ops::{reverse_all, AlterColumn};
    use crate::{DialectKind, ServerDefault, Type};

    fn uuid_default() -> ServerDefault {
        ServerDefault::expr("gen_random_uuid()").with_variant(DialectKind::Sqlite, None)
    }

    fn model(default: Option<ServerDefault>) -> MetaData {
        let mut id = Column::new("id", Type::Uuid).not_null();
        id.server_default = default;
        MetaData::new().table(
            Table::new("docs")
                .column(id)
                .column(Column::new(
                    "body",
                    Type::Jsonb.with_variant(DialectKind::Sqlite, Type::Text),
                ))
                .primary_key(["id"]),
        )
    }

    /// What autogenerate does: compare as the database has it, then restore.
    fn compare(db: &MetaData, model: &MetaData, kind: DialectKind) -> Vec<Op> {
        let (d, m) = (db.for_dialect(Some(kind)), model.for_dialect(Some(kind)));
        let mut ops = diff(&d, &m, &DiffOptions::default()).ops;
        restore_variants(&mut ops, db, model);
        ops
    }

    #[test]
    fn a_database_with_its_variant_is_up_to_date() {
        let m = model(Some(uuid_default()));
        for kind in [DialectKind::Postgres, DialectKind::Sqlite] {
            let db = m.for_dialect(Some(kind)).into_owned();
            assert!(!db.has_variant());
            assert_eq!(compare(&db, &m, kind), Vec::new(), "{kind:?}");
        }
        let lite = m.for_dialect(Some(DialectKind::Sqlite));
        assert_eq!(lite.tables()[0].columns[0].server_default, None);
        assert_eq!(lite.tables()[0].columns[1].ty, Type::Text);
        let pg = m.for_dialect(Some(DialectKind::Postgres));
        assert_eq!(
            pg.tables()[0].columns[0].server_default,
            Some(ServerDefault::expr("gen_random_uuid()"))
        );
        assert_eq!(pg.tables()[0].columns[1].ty, Type::Jsonb);
    }

    #[test]
    fn new_tables_and_changed_defaults_keep_every_dialects_variant() {
        let m = model(Some(uuid_default()));
        let ops = compare(&MetaData::new(), &m, DialectKind::Postgres);
        let Op::CreateTable { table } = &ops[0] else {
            panic!("{ops:?}")
        };
        assert_eq!(table.columns, m.tables()[0].columns);

        // PostgreSQL's default added: the alter carries the SQLite variant too, and its
        // reverse is exact.
        let db = model(None)
            .for_dialect(Some(DialectKind::Postgres))
            .into_owned();
        let ops = compare(&db, &m, DialectKind::Postgres);
        let Op::AlterColumn(a) = &ops[0] else {
            panic!("{ops:?}")
        };
        assert_eq!(a.server_default, Some(Some(uuid_default())));
        let back = reverse_all(&reverse_all(&ops).unwrap()).unwrap();
        assert_eq!(back, ops);
        // On SQLite the variant is "no default", so nothing changed.
        let db = model(None)
            .for_dialect(Some(DialectKind::Sqlite))
            .into_owned();
        assert_eq!(compare(&db, &m, DialectKind::Sqlite), Vec::new());
    }

    #[test]
    fn an_op_resolves_for_each_dialect() {
        let mut a = AlterColumn::new("docs", "id");
        a.server_default = Some(Some(uuid_default()));
        a.existing_server_default = Some(None);
        let op = Op::AlterColumn(a);
        let Op::AlterColumn(pg) = op.for_dialect(Some(DialectKind::Postgres)).into_owned() else {
            unreachable!()
        };
        assert_eq!(
            pg.server_default,
            Some(Some(ServerDefault::expr("gen_random_uuid()")))
        );
        let Op::AlterColumn(lite) = op.for_dialect(Some(DialectKind::Sqlite)).into_owned() else {
            unreachable!()
        };
        // SQLite's variant is no default, which the column already had: no change there.
        assert_eq!(lite.server_default, None);
        assert!(lite.changed().is_empty());
        // A dialect no variant names takes the base.
        assert!(!op.for_dialect(None).has_variant());
    }

    #[test]
    fn a_later_variant_for_a_dialect_replaces_the_earlier() {
        let t = Type::Jsonb
            .with_variant(DialectKind::Sqlite, Type::Text)
            .with_variant(DialectKind::Sqlite, Type::Json);
        assert_eq!(
            t,
            Type::Variant {
                base: Box::new(Type::Jsonb),
                variants: vec![(DialectKind::Sqlite, Type::Json)],
            }
        );
        assert_eq!(
            *Type::array(t).for_dialect(Some(DialectKind::Sqlite)),
            Type::array(Type::Json)
        );
    }
}

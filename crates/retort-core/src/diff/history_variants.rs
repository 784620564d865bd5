//! Per-dialect variants a database cannot show, taken from the revision history.
//!
//! Autogenerate compares a database with the model as that database has them
//! (`MetaData::for_dialect`). What the model says for another backend only (a default
//! `ServerDefault::only_on(Postgres, ..)`, a type that differs on PostgreSQL alone) is
//! invisible there: a SQLite file has no column default either way, so the comparison sees
//! no change and the revision written against SQLite would leave PostgreSQL without the
//! default. The writer records what the model says, and each dialect renders it as it can
//! (issue 11, item 14), so what the live database cannot hold is compared with what the
//! revision history recorded for it, the schema its scripts replay to:
//!
//! * [`record_changes_elsewhere`]: a kept column whose type or default (either side with a
//!   variant) resolves differently on another backend in the history and in the model gets
//!   an `alter_column` carrying the model's whole variant set, the history's as its old
//!   value (merged into the alter the comparison wrote for that column, if any). On the
//!   live backend it resolves to no change (`Op::for_dialect` leaves it out: no SQL, no
//!   SQLite rebuild); on the other it sets what the model says there.
//! * [`old_values_from_history`]: an op's old type or default read from the live database
//!   is that database's resolution; where it is the history's variant as resolved here, the
//!   op records the history's whole variant set instead, so the replay of the history fits
//!   the op and the downgrade brings every backend back to what the history had.
//!
//! Only columns the history knows are looked at: without a history (a database never
//! migrated by its scripts) nothing beyond the live backend can be known.

use super::options::{DiffOptions, ObjectKind, ObjectRef};
use super::Diff;
use crate::ops::{AlterColumn, Op};
use crate::{default_for_dialect, Column, DialectKind, MetaData, ServerDefault, Table, Type};

/// See the module notes: `history` is the schema the revision history replays to (variants
/// unresolved), `model` the model (unresolved), `live` the backend that was compared.
pub fn restore_history_variants(
    diff: &mut Diff,
    history: &MetaData,
    model: &MetaData,
    live: DialectKind,
    options: &DiffOptions,
) {
    if !history.has_variant() && !model.has_variant() {
        return;
    }
    old_values_from_history(&mut diff.ops, history, live);
    record_changes_elsewhere(diff, history, model, live, options);
}

type ColumnKey = (Option<String>, String, String);

fn same_schema(md: &MetaData, a: Option<&str>, b: Option<&str>) -> bool {
    let default = md.default_schema();
    a.or(default) == b.or(default)
}

fn find_table<'a>(md: &'a MetaData, schema: Option<&str>, name: &str) -> Option<&'a Table> {
    md.tables()
        .iter()
        .find(|t| t.name == name && same_schema(md, t.schema.as_deref(), schema))
}

fn find_column<'a>(
    md: &'a MetaData,
    schema: Option<&str>,
    table: &str,
    column: &str,
) -> Option<&'a Column> {
    find_table(md, schema, table)?.get_column(column)
}

/// Two optional defaults alike on a column of type `ty` (see [`ServerDefault::same_on`]).
fn same_default(a: &Option<ServerDefault>, b: &Option<ServerDefault>, ty: &Type) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.same_on(b, ty),
        (a, b) => a == b,
    }
}

/// The history's type, when `recorded` (read from the database) is its resolution for `live`.
fn history_type(recorded: &Type, h: &Column, live: DialectKind) -> Option<Type> {
    (h.ty.has_variant() && !recorded.has_variant() && *recorded == *h.ty.for_dialect(Some(live)))
        .then(|| h.ty.clone())
}

/// The history's default, when `recorded` (read from the database) is its resolution for
/// `live`.
fn history_default(
    recorded: &Option<ServerDefault>,
    h: &Column,
    live: DialectKind,
) -> Option<Option<ServerDefault>> {
    let variant = h
        .server_default
        .as_ref()
        .is_some_and(ServerDefault::has_variant);
    let recorded_variant = recorded.as_ref().is_some_and(ServerDefault::has_variant);
    let resolved = default_for_dialect(&h.server_default, Some(live));
    (variant
        && !recorded_variant
        && same_default(recorded, &resolved, &h.ty.for_dialect(Some(live))))
    .then(|| h.server_default.clone())
}

fn restore_column(c: &mut Column, h: &Column, live: DialectKind) {
    if let Some(ty) = history_type(&c.ty, h, live) {
        c.ty = ty;
    }
    if let Some(d) = history_default(&c.server_default, h, live) {
        c.server_default = d;
    }
}

/// See the module notes. Only the first op on a column sees it as the history left it.
fn old_values_from_history(ops: &mut [Op], history: &MetaData, live: DialectKind) {
    let mut touched: Vec<ColumnKey> = Vec::new();
    for op in ops {
        match op {
            Op::DropTable {
                schema,
                name,
                existing: Some(t),
                ..
            } => {
                for c in &mut t.columns {
                    if let Some(h) = find_column(history, schema.as_deref(), name, &c.name) {
                        restore_column(c, h, live);
                    }
                }
            }
            Op::DropColumn {
                schema,
                table,
                column,
                existing,
                ..
            } => {
                let key = (schema.clone(), table.clone(), column.clone());
                if let (Some(c), false) = (existing, touched.contains(&key)) {
                    if let Some(h) = find_column(history, schema.as_deref(), table, column) {
                        restore_column(c, h, live);
                    }
                }
                touched.push(key);
            }
            Op::AddColumn {
                schema,
                table,
                column,
            } => touched.push((schema.clone(), table.clone(), column.name.clone())),
            Op::AlterColumn(a) => {
                let key = (a.schema.clone(), a.table.clone(), a.column.clone());
                if touched.contains(&key) {
                    continue;
                }
                touched.push(key);
                let Some(h) = find_column(history, a.schema.as_deref(), &a.table, &a.column) else {
                    continue;
                };
                if let Some(t) = &mut a.existing_type {
                    if let Some(ty) = history_type(t, h, live) {
                        *t = ty;
                    }
                }
                if let Some(d) = &mut a.existing_server_default {
                    if let Some(v) = history_default(d, h, live) {
                        *d = v;
                    }
                }
            }
            _ => {}
        }
    }
}

/// The other backends on which `h` and `m` resolve differently, by `differ`.
fn differing(live: DialectKind, differ: impl Fn(DialectKind) -> bool) -> Vec<&'static str> {
    DialectKind::ALL
        .into_iter()
        .filter(|d| *d != live && differ(*d))
        .map(DialectKind::as_str)
        .collect()
}

/// Whether `ops` create, drop, add or drop this table or column whole (then the op carries
/// the model's or the history's definition, variants and all).
fn made_whole(ops: &[Op], md: &MetaData, t: &Table, column: &str) -> bool {
    let here = |schema: &Option<String>, name: &str| {
        name == t.name && same_schema(md, schema.as_deref(), t.schema.as_deref())
    };
    ops.iter().any(|op| match op {
        Op::CreateTable { table } => here(&table.schema, &table.name),
        Op::DropTable { schema, name, .. } => here(schema, name),
        Op::AddColumn {
            schema,
            table,
            column: c,
        } => here(schema, table) && c.name == column,
        Op::DropColumn {
            schema,
            table,
            column: c,
            ..
        } => here(schema, table) && c == column,
        _ => false,
    })
}

/// A new alter of `h` (the history's column of `t`) changing nothing yet, every old value
/// the history's.
fn alter_of(t: &Table, h: &Column) -> AlterColumn {
    AlterColumn {
        schema: t.schema.clone(),
        table: t.name.clone(),
        column: h.name.clone(),
        existing_nullable: Some(h.nullable),
        existing_type: Some(h.ty.clone()),
        existing_server_default: Some(h.server_default.clone()),
        existing_comment: Some(h.comment.clone()),
        existing_identity: Some(h.identity.as_deref().cloned()),
        existing_computed: Some(h.computed.clone()),
        existing_collation: h.collation.clone().map(Some),
        ..AlterColumn::default()
    }
}

/// See the module notes.
fn record_changes_elsewhere(
    diff: &mut Diff,
    history: &MetaData,
    model: &MetaData,
    live: DialectKind,
    options: &DiffOptions,
) {
    for mt in model.tables() {
        let Some(ht) = find_table(history, mt.schema.as_deref(), &mt.name) else {
            continue;
        };
        let table_included = options.table_included(mt.schema.as_deref(), &mt.name)
            && options.hook(ObjectRef {
                kind: ObjectKind::Table,
                schema: mt.schema.as_deref(),
                table: Some(&mt.name),
                name: Some(&mt.name),
                in_database: true,
                in_model: true,
            });
        if !table_included {
            continue;
        }
        for mc in &mt.columns {
            let Some(hc) = ht.get_column(&mc.name) else {
                continue;
            };
            if !(mc.has_variant() || hc.has_variant())
                || made_whole(&diff.ops, history, ht, &mc.name)
                || !options.hook(ObjectRef {
                    kind: ObjectKind::Column,
                    schema: mt.schema.as_deref(),
                    table: Some(&mt.name),
                    name: Some(&mc.name),
                    in_database: true,
                    in_model: true,
                })
            {
                continue;
            }
            let types = if options.compare_types && (mc.ty.has_variant() || hc.ty.has_variant()) {
                differing(live, |d| {
                    hc.ty.for_dialect(Some(d)) != mc.ty.for_dialect(Some(d))
                })
            } else {
                Vec::new()
            };
            let variant_default = |c: &Column| {
                c.server_default
                    .as_ref()
                    .is_some_and(ServerDefault::has_variant)
            };
            let defaults = if options.compare_server_defaults
                && (variant_default(mc) || variant_default(hc))
            {
                differing(live, |d| {
                    !same_default(
                        &default_for_dialect(&hc.server_default, Some(d)),
                        &default_for_dialect(&mc.server_default, Some(d)),
                        &mc.ty.for_dialect(Some(d)),
                    )
                })
            } else {
                Vec::new()
            };
            if types.is_empty() && defaults.is_empty() {
                continue;
            }
            let here = |a: &AlterColumn| {
                a.table == ht.name
                    && a.column == mc.name
                    && same_schema(history, a.schema.as_deref(), ht.schema.as_deref())
            };
            let at = diff
                .ops
                .iter()
                .position(|op| matches!(op, Op::AlterColumn(a) if here(a)));
            let at = at.unwrap_or_else(|| {
                diff.ops.push(Op::AlterColumn(alter_of(ht, hc)));
                diff.ops.len() - 1
            });
            let Op::AlterColumn(a) = &mut diff.ops[at] else {
                continue;
            };
            let target = format!("{}.{}", mt.qualified_name(), mc.name);
            let why = "a per-dialect variant, which this database does not show";
            if !types.is_empty() && a.type_.is_none() {
                a.type_ = Some(mc.ty.clone());
                a.existing_type = Some(hc.ty.clone());
                diff.log.push(format!(
                    "Detected type change on '{target}' on {} ({why})",
                    types.join(", ")
                ));
            }
            if !defaults.is_empty() && a.server_default.is_none() {
                a.server_default = Some(mc.server_default.clone());
                a.existing_server_default = Some(hc.server_default.clone());
                diff.log.push(format!(
                    "Detected server default change on column '{target}' on {} ({why})",
                    defaults.join(", ")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, restore_variants};
    use crate::ops::{apply_all, reverse_all};

    fn json() -> Type {
        Type::Jsonb.with_variant(DialectKind::Sqlite, Type::Text)
    }

    fn table(columns: Vec<Column>) -> MetaData {
        let mut t = Table::new("docs").column(Column::new("id", Type::Integer).not_null());
        for c in columns {
            t = t.column(c);
        }
        MetaData::new().table(t.primary_key(["id"]))
    }

    /// What live autogenerate does with a database built by `history` on `live`: compare as
    /// that database has it, restore the variants, then look at what it cannot show.
    fn compare(history: &MetaData, model: &MetaData, live: DialectKind, o: &DiffOptions) -> Diff {
        let db = history.for_dialect(Some(live));
        let mut d = diff(&db, &model.for_dialect(Some(live)), o);
        restore_variants(&mut d.ops, &db, model);
        restore_history_variants(&mut d, history, model, live, o);
        d
    }

    fn pg_only(text: &str) -> ServerDefault {
        ServerDefault::only_on(DialectKind::Postgres, ServerDefault::text(text))
    }

    #[test]
    fn a_default_only_another_backend_has_is_recorded_and_is_no_change_here() {
        let history = table(vec![Column::new("title", Type::Text)]);
        let model = table(vec![
            Column::new("title", Type::Text).server_default(pg_only("untitled"))
        ]);
        let d = compare(
            &history,
            &model,
            DialectKind::Sqlite,
            &DiffOptions::default(),
        );
        let [Op::AlterColumn(a)] = &d.ops[..] else {
            panic!("{:#?}", d.ops)
        };
        assert_eq!(a.server_default, Some(Some(pg_only("untitled"))));
        assert_eq!(a.existing_server_default, Some(None));
        assert_eq!(
            d.log,
            ["Detected server default change on column 'docs.title' on postgres (a per-dialect variant, which this database does not show)"]
        );
        // No change on SQLite itself (nothing to render, no rebuild); the default on
        // PostgreSQL; the reverse exact; and the history then holds the model's variant.
        let Op::AlterColumn(lite) = &*d.ops[0].for_dialect(Some(DialectKind::Sqlite)) else {
            unreachable!()
        };
        assert!(lite.changed().is_empty(), "{lite:#?}");
        let Op::AlterColumn(pg) = &*d.ops[0].for_dialect(Some(DialectKind::Postgres)) else {
            unreachable!()
        };
        assert_eq!(
            pg.server_default,
            Some(Some(ServerDefault::text("untitled")))
        );
        assert_eq!(reverse_all(&reverse_all(&d.ops).unwrap()).unwrap(), d.ops);
        let mut replayed = history.clone();
        apply_all(&d.ops, &mut replayed).unwrap();
        for live in DialectKind::ALL {
            let again = compare(&replayed, &model, live, &DiffOptions::default());
            assert_eq!(again.ops, Vec::new(), "{live:?}");
        }
    }

    #[test]
    fn a_type_changed_elsewhere_joins_the_alter_this_backend_sees() {
        let narrow = || Type::Varchar(Some(20));
        let history = table(vec![Column::new("label", narrow()).not_null()]);
        let wide = Type::Varchar(Some(40)).with_variant(DialectKind::Sqlite, narrow());
        let model = table(vec![Column::new("label", wide.clone())]);
        let d = compare(
            &history,
            &model,
            DialectKind::Sqlite,
            &DiffOptions::default(),
        );
        let [Op::AlterColumn(a)] = &d.ops[..] else {
            panic!("{:#?}", d.ops)
        };
        assert_eq!((a.nullable, a.type_.clone()), (Some(true), Some(wide)));
        assert_eq!(a.existing_type, Some(narrow()));
        assert!(d.log[1].contains("on postgres, mysql"), "{:?}", d.log);
        let Op::AlterColumn(lite) = &*d.ops[0].for_dialect(Some(DialectKind::Sqlite)) else {
            unreachable!()
        };
        assert_eq!(lite.changed(), ["nullable"]);
        // Compared as PostgreSQL, the type change is the comparison's own: nothing added.
        let d = compare(
            &history,
            &model,
            DialectKind::Postgres,
            &DiffOptions::default(),
        );
        assert_eq!(d.log.len(), 2, "{:?}", d.log);
        // Not compared when types are not.
        let o = DiffOptions {
            compare_types: false,
            ..DiffOptions::default()
        };
        let d = compare(&history, &model, DialectKind::Sqlite, &o);
        let [Op::AlterColumn(a)] = &d.ops[..] else {
            panic!("{:#?}", d.ops)
        };
        assert_eq!(a.type_, None);
    }

    #[test]
    fn old_values_of_a_variant_column_are_the_historys_variants() {
        let history = table(vec![
            Column::new("body", json()).not_null(),
            Column::new("legacy", json()).server_default(pg_only("{}")),
        ]);
        let model = table(vec![Column::new("body", json())]);
        for live in DialectKind::ALL {
            let d = compare(&history, &model, live, &DiffOptions::default());
            let [Op::DropColumn { existing, .. }, Op::AlterColumn(a)] = &d.ops[..] else {
                panic!("{live:?}: {:#?}", d.ops)
            };
            assert_eq!(existing.as_ref(), history.tables()[0].get_column("legacy"));
            assert_eq!(a.existing_type, Some(json()), "{live:?}");
            // The history replays them on every backend.
            let mut replayed = history.clone();
            apply_all(&d.ops, &mut replayed).unwrap();
            let mut back = replayed.clone();
            apply_all(&reverse_all(&d.ops).unwrap(), &mut back).unwrap();
            assert_eq!(back, history);
        }
    }

    #[test]
    fn the_same_variants_or_none_at_all_are_no_change() {
        let plain = table(vec![
            Column::new("title", Type::Text).server_default(ServerDefault::text("x"))
        ]);
        let variants = table(vec![
            Column::new("title", Type::Text).server_default(pg_only("untitled")),
            Column::new("body", json()),
        ]);
        for md in [&plain, &variants] {
            for live in DialectKind::ALL {
                let d = compare(md, md, live, &DiffOptions::default());
                assert_eq!(d.ops, Vec::new(), "{live:?}");
            }
        }
        // A column the history does not know (no history at all) is left to the comparison.
        let d = compare(
            &MetaData::new(),
            &variants,
            DialectKind::Sqlite,
            &DiffOptions::default(),
        );
        assert!(
            matches!(&d.ops[..], [Op::CreateTable { .. }]),
            "{:#?}",
            d.ops
        );
    }

    #[test]
    fn a_plain_alter_restating_the_old_value_still_runs() {
        let mut a = AlterColumn::new("docs", "title");
        a.server_default = Some(Some(ServerDefault::text("x")));
        a.existing_server_default = Some(Some(ServerDefault::text("x")));
        let op = Op::AlterColumn(a);
        assert_eq!(*op.for_dialect(Some(DialectKind::Sqlite)), op);
    }
}

//! The round trip every case goes through: the upgrade applies to `before` and yields a
//! schema equivalent to `after` that compares clean with it; the derived downgrade
//! (`reverse_all`) applies to that and yields a schema equivalent to `before`.
//!
//! "Equivalent" ignores what the comparison ignores: table, column and constraint order,
//! the names of constraints the model leaves to the database, and the nullable flag of
//! primary-key and identity columns.

use crate::diff::{diff, Diff, DiffOptions};
use crate::ops::{apply_all, reverse_all, Op};
use crate::{Column, ForeignKey, Index, MetaData, Table, Type};

pub fn opts() -> DiffOptions {
    DiffOptions::default()
}

/// Diffs and checks the full round trip.
pub fn check(before: &MetaData, after: &MetaData) -> Diff {
    let d = diff(before, after, &opts());
    let up = upgrade(before, after, &d);
    let down = reverse_all(&d.ops).unwrap_or_else(|e| panic!("downgrade: {e}\n{:#?}", d.ops));
    let mut back = up.clone();
    apply_all(&down, &mut back)
        .unwrap_or_else(|e| panic!("downgrade does not apply: {e}\n{down:#?}"));
    assert_eq!(canonical(&back), canonical(before), "downgrade result");
    let again = diff(&back, before, &opts());
    assert!(
        again.ops.is_empty(),
        "downgrade leaves a difference: {:#?}",
        again.ops
    );
    // Same inputs, same output (no hash-order leaks).
    assert_eq!(diff(before, after, &opts()), d);
    d
}

/// Diffs and checks the upgrade only (for irreversible ops such as added enum values).
pub fn check_upgrade(before: &MetaData, after: &MetaData) -> Diff {
    let d = diff(before, after, &opts());
    upgrade(before, after, &d);
    d
}

fn upgrade(before: &MetaData, after: &MetaData, d: &Diff) -> MetaData {
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let mut up = before.clone();
    apply_all(&d.ops, &mut up)
        .unwrap_or_else(|e| panic!("upgrade does not apply: {e}\n{:#?}", d.ops));
    assert_eq!(canonical(&up), canonical(after), "upgrade result");
    let again = diff(&up, after, &opts());
    assert!(
        again.ops.is_empty(),
        "upgrade leaves a difference: {:#?}",
        again.ops
    );
    up
}

/// An order- and naming-insensitive rendering of a schema (see the module notes).
pub fn canonical(md: &MetaData) -> Vec<String> {
    let mut out: Vec<String> = md
        .tables()
        .iter()
        .map(|t| {
            let mut cols: Vec<String> = t
                .columns
                .iter()
                .map(|c| {
                    let mut c = c.clone();
                    c.nullable = crate::diff::columns::effectively_nullable(t, &c);
                    format!("{c:?}")
                })
                .collect();
            cols.sort();
            let sorted = |mut v: Vec<String>| {
                v.sort();
                v
            };
            let fks = sorted(
                t.foreign_keys
                    .iter()
                    .map(|f| {
                        let mut f = f.clone();
                        f.name = None;
                        f.ref_schema = f.ref_schema.or_else(|| t.schema.clone());
                        format!("{f:?}")
                    })
                    .collect(),
            );
            let uqs = sorted(
                t.uniques
                    .iter()
                    .map(|u| format!("{:?} {:?}", u.columns, u.with))
                    .collect(),
            );
            let cks = sorted(t.checks.iter().map(|c| c.expr.clone()).collect());
            let exs = sorted(t.excludes.iter().map(|x| format!("{x:?}")).collect());
            let ixs = sorted(
                t.indexes
                    .iter()
                    .map(|i| format!("{:?}", Index { name: None, ..i.clone() }))
                    .collect(),
            );
            format!(
                "{:?}.{} cols={cols:?} pk={:?} fks={fks:?} uq={uqs:?} ck={cks:?} ex={exs:?} ix={ixs:?} comment={:?} with={:?} inherits={:?}",
                t.schema,
                t.name,
                t.primary_key.as_ref().map(|p| (&p.columns, &p.with)),
                t.comment,
                t.with,
                t.inherits
            )
        })
        .collect();
    out.extend(md.enums().iter().map(|e| format!("enum {e:?}")));
    out.extend(md.entities().iter().map(|e| format!("entity {e:?}")));
    out.sort();
    out
}

/// The ops' descriptions, for compact assertions.
pub fn described(d: &Diff) -> Vec<String> {
    d.ops.iter().map(Op::describe).collect()
}

pub fn int(name: &str) -> Column {
    Column::new(name, Type::Integer).not_null()
}

pub fn text(name: &str) -> Column {
    Column::new(name, Type::Text)
}

pub fn customers() -> Table {
    Table::new("customers")
        .column(int("customer_id"))
        .column(text("name"))
        .primary_key(["customer_id"])
}

pub fn orders() -> Table {
    Table::new("orders")
        .column(int("order_id"))
        .column(int("customer_id"))
        .primary_key(["order_id"])
        .foreign_key(ForeignKey::new(
            ["customer_id"],
            "customers",
            ["customer_id"],
        ))
}

/// A metadata without a naming convention, like an introspected database.
pub fn md() -> MetaData {
    MetaData::new().naming_convention(crate::NamingConvention::none())
}

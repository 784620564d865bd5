//! Table inheritance (PostgreSQL `INHERITS`): a child created after its parent with the
//! columns only the parent gives left out of its `CREATE TABLE`, a table that joins a parent
//! (`INHERIT`, its own columns kept) and one that leaves it (`NO INHERIT`); a column added
//! to the parent reaches its children without an add of their own. Compared clean after
//! the upgrade and the downgrade, with the rows kept.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn payment(extra: bool) -> Table {
    let t = Table::new("payment")
        .column(Column::new("payment_id", Type::Integer).not_null())
        .column(Column::new("amount", Type::numeric(5, 2)).not_null())
        .primary_key(["payment_id"]);
    if extra {
        t.column(Column::new("note", Type::Text))
    } else {
        t
    }
}

fn own(name: &str) -> Table {
    Table::new(name)
        .column(Column::new("payment_id", Type::Integer).not_null())
        .column(Column::new("amount", Type::numeric(5, 2)).not_null())
}

fn child(name: &str, extra: bool) -> Table {
    let t = Table::new(name)
        .column(Column::new("payment_id", Type::Integer).not_null().inherited())
        .column(Column::new("amount", Type::numeric(5, 2)).not_null().inherited())
        .column(Column::new("month", Type::SmallInt))
        .inherits("payment");
    if extra {
        t.column(Column::new("note", Type::Text).inherited())
    } else {
        t
    }
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(payment(false))
        .table(child("payment_2007_01", false))
        .table(own("payment_loose"))
        .table(own("payment_gone").inherits("payment"))
}

pub fn after() -> MetaData {
    MetaData::new()
        // The new child first: it is created after its parent all the same.
        .table(child("payment_2007_02", true))
        .table(payment(true))
        .table(child("payment_2007_01", true))
        // It joins with a column of its own for the parent's new one.
        .table(own("payment_loose").column(Column::new("note", Type::Text)).inherits("payment"))
        .table(own("payment_gone"))
}

/// Rows in the parent and a child (a parent's rows include its children's, as PostgreSQL
/// reads a parent; the joining table has none, so the parent's rows stay the same).
pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "payment", columns: &["payment_id", "amount"], rows: &[&["1", "9.99"]] },
        Seed { table: "payment_2007_01", columns: &["payment_id", "amount", "month"], rows: &[&["2", "1.50", "1"]] },
    ]
}

//! A value removed from an enum type together with the partial index predicate and the
//! check that named it: the swap makes them again as the model has them now, since the
//! database's old ones name a value the new type lacks; the downgrade makes the old ones
//! again once the type has the value back.
//! On SQLite the type is a CHECK on the column, changed by a table rebuild.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn model(values: &[&str], open: &str, check: &str) -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", values.iter().copied()))
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("status", Type::enumeration("order_status")).not_null())
                .column(Column::new("amount", Type::Integer).not_null())
                .primary_key(["id"])
                .check(Some("ck_orders_amount"), check)
                .index(Index::on_columns(["id"]).name("ix_orders_open").predicate(open)),
        )
}

pub fn before() -> MetaData {
    model(
        &["new", "paid", "shipped"],
        "status IN ('new', 'shipped')",
        "status <> 'shipped' OR amount > 0",
    )
}

pub fn after() -> MetaData {
    model(&["new", "paid"], "status = 'new'", "status <> 'paid' OR amount > 0")
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "orders",
        columns: &["id", "status", "amount"],
        rows: &[&["1", "'new'", "0"], &["2", "'paid'", "10"]],
    }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support partial indexes (WHERE) (index `ix_orders_open`",
    reason: "MySQL and MariaDB have no partial indexes, and the case is about the predicate that names the enum",
}];

//! A value removed from an enum type that a partial index's predicate, a check, a default
//! and a generated column use: the safe type swap through text must drop each of them
//! before the swap and create it again after (PostgreSQL would otherwise rebuild the index
//! with `text <> order_status`, and refuses to change a column a generated column uses).
//! The downgrade recreates the type with the value back, by the same swap.
//! On SQLite the type is a CHECK on the column, changed by a table rebuild.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn model(values: &[&str]) -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", values.iter().copied()))
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(
                    Column::new("status", Type::enumeration("order_status"))
                        .not_null()
                        .server_default(ServerDefault::text("new")),
                )
                .column(Column::new("amount", Type::Integer).not_null())
                .column(Column::new("is_open", Type::Boolean).computed(Computed::stored("status <> 'cancelled'")))
                .primary_key(["id"])
                .check(Some("ck_orders_paid_amount"), "status <> 'paid' OR amount > 0")
                .index(Index::on_columns(["id"]).name("ix_orders_open").predicate("status <> 'cancelled'")),
        )
}

pub fn before() -> MetaData {
    model(&["new", "paid", "shipped", "cancelled"])
}

pub fn after() -> MetaData {
    model(&["new", "paid", "cancelled"])
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "orders",
        columns: &["id", "status", "amount"],
        rows: &[&["1", "'new'", "0"], &["2", "'paid'", "10"], &["3", "'cancelled'", "5"]],
    }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support partial indexes (WHERE) (index `ix_orders_open`",
    reason: "MySQL and MariaDB have no partial indexes, and the case is about the predicate that names the enum",
}];

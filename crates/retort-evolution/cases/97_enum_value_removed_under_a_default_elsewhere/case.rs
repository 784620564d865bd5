//! A value removed from an enum type that the default of a text column of another table
//! casts through: `DROP TYPE` refuses while that default depends on the type, so the swap
//! drops the default first and sets it again after.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn model(values: &[&str]) -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", values.iter().copied()))
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("status", Type::enumeration("order_status")))
                .primary_key(["id"]),
        )
        .table(
            Table::new("audit")
                .column(Column::new("id", Type::Integer).not_null())
                .column(
                    Column::new("first_status", Type::Text)
                        .server_default(ServerDefault::expr("('new'::order_status)::text")),
                )
                .primary_key(["id"]),
        )
}

pub fn before() -> MetaData {
    model(&["new", "paid", "shipped"])
}

pub fn after() -> MetaData {
    model(&["new", "paid"])
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "orders", columns: &["id", "status"], rows: &[&["1", "'new'"], &["2", "'paid'"]] },
        Seed { table: "audit", columns: &["id"], rows: &[&["1"]] },
    ]
}

//! Several tables that reference each other (a chain and a self-reference) dropped in one
//! step, dependents first; the table they pointed at stays with its rows.
use retort_core::*;
use retort_evolution::Seed;

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(customers())
        .table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("customer_id", Type::Integer).not_null())
                .column(Column::new("replaces_id", Type::Integer))
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]).on_delete(FkAction::Cascade))
                .foreign_key(ForeignKey::new(["replaces_id"], "orders", ["id"])),
        )
        .table(
            Table::new("order_lines")
                .column(Column::new("order_id", Type::Integer).not_null())
                .column(Column::new("line_no", Type::Integer).not_null())
                .primary_key(["order_id", "line_no"])
                .foreign_key(ForeignKey::new(["order_id"], "orders", ["id"]).on_delete(FkAction::Cascade)),
        )
        .table(
            Table::new("shipments")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("order_id", Type::Integer).not_null())
                .column(Column::new("line_no", Type::Integer).not_null())
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["order_id", "line_no"], "order_lines", ["order_id", "line_no"])),
        )
}

pub fn after() -> MetaData {
    MetaData::new().table(customers())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "customers", columns: &["id"], rows: &[&["1"], &["2"]] },
        Seed { table: "orders", columns: &["id", "customer_id", "replaces_id"], rows: &[&["1", "1", "NULL"], &["2", "1", "1"]] },
        Seed { table: "order_lines", columns: &["order_id", "line_no"], rows: &[&["1", "1"], &["2", "1"]] },
    ]
}

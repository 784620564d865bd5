//! A foreign key's ON DELETE changed (NO ACTION -> CASCADE) and an unnamed one's
//! ON UPDATE set; the child rows survive the rebuild on SQLite.
use retort_core::*;
use retort_evolution::Seed;

fn parent() -> Table {
    Table::new("customers")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

fn child(fk: ForeignKey) -> Table {
    Table::new("orders")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("customer_id", Type::Integer).not_null())
        .primary_key(["id"])
        .foreign_key(fk)
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(parent())
        .table(child(ForeignKey::new(["customer_id"], "customers", ["id"]).name("fk_orders_customer")))
}

pub fn after() -> MetaData {
    MetaData::new().table(parent()).table(child(
        ForeignKey::new(["customer_id"], "customers", ["id"])
            .name("fk_orders_customer")
            .on_delete(FkAction::Cascade),
    ))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "customers", columns: &["id"], rows: &[&["1"], &["2"]] },
        Seed { table: "orders", columns: &["id", "customer_id"], rows: &[&["10", "1"], &["11", "1"], &["12", "2"]] },
    ]
}

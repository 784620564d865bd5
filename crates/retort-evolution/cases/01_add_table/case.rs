//! A new table next to an existing one, with a foreign key to it.
use retort_core::*;

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("name", Type::Varchar(Some(100))).not_null())
        .primary_key(["customer_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(customers())
}

pub fn after() -> MetaData {
    MetaData::new().table(customers()).table(
        Table::new("orders")
            .column(Column::new("order_id", Type::Integer).not_null())
            .column(Column::new("customer_id", Type::Integer).not_null())
            .primary_key(["order_id"])
            .foreign_key(ForeignKey::new(["customer_id"], "customers", ["customer_id"]).on_delete(FkAction::Cascade)),
    )
}

//! A change to a table other tables reference with ON DELETE CASCADE and SET NULL (on
//! SQLite a rebuild with foreign keys off): no child row is deleted or cleared, and every
//! reference stays valid.
use retort_core::*;
use retort_evolution::Seed;

fn customers(email: Type, nullable: bool) -> Table {
    Table::new("customers")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("email", email).nullable(nullable))
        .primary_key(["id"])
}

fn children(md: MetaData) -> MetaData {
    md.table(
        Table::new("orders")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("customer_id", Type::Integer).not_null())
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]).on_delete(FkAction::Cascade)),
    )
    .table(
        Table::new("notes")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("customer_id", Type::Integer))
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]).on_delete(FkAction::SetNull)),
    )
}

pub fn before() -> MetaData {
    children(MetaData::new().table(customers(Type::Varchar(Some(50)), true)))
}

pub fn after() -> MetaData {
    children(MetaData::new().table(customers(Type::Varchar(Some(200)), false)))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "customers", columns: &["id", "email"], rows: &[&["1", "'a@x'"], &["2", "'b@x'"]] },
        Seed { table: "orders", columns: &["id", "customer_id"], rows: &[&["10", "1"], &["11", "2"], &["12", "2"]] },
        Seed { table: "notes", columns: &["id", "customer_id"], rows: &[&["20", "1"], &["21", "NULL"]] },
    ]
}

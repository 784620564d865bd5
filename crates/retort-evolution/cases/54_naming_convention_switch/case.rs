//! Switching the naming convention renames existing constraints and indexes to the names
//! create_all would give them (issue 7, item 12).
use retort_core::*;
use retort_evolution::Seed;

fn tables(md: MetaData) -> MetaData {
    md.table(
        Table::new("customers")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("email", Type::Text).not_null())
            .primary_key(["id"])
            .unique(["email"]),
    )
    .table(
        Table::new("orders")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("customer_id", Type::Integer).not_null())
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]))
            .index(Index::on_columns(["customer_id"])),
    )
}

pub fn before() -> MetaData {
    tables(MetaData::new())
}

pub fn after() -> MetaData {
    tables(MetaData::new().naming_convention(NamingConvention::recommended()))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "customers", columns: &["id", "email"], rows: &[&["1", "'a@example.com'"], &["2", "'b@example.com'"]] },
        Seed { table: "orders", columns: &["id", "customer_id"], rows: &[&["10", "1"], &["11", "1"], &["12", "2"]] },
    ]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support a unique constraint on column `customers.email` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant)",
}];

//! numeric(10,2) -> numeric(12,4), and plain numeric -> numeric(8).
use retort_core::*;
use retort_evolution::Seed;

fn table(price: Type, ratio: Type) -> Table {
    Table::new("prices")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("price", price).not_null())
        .column(Column::new("ratio", ratio))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::numeric(10, 2), Type::Numeric { precision: None, scale: None }))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::numeric(12, 4), Type::Numeric { precision: Some(8), scale: None }))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "prices", columns: &["id", "price", "ratio"], rows: &[&["1", "9.99", "3"], &["2", "0.50", "NULL"]] }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support the column type Numeric (column `prices.ratio`)",
    reason: "MySQL's DECIMAL without a precision is DECIMAL(10, 0), which would cut every fraction: a NUMERIC without precision has no MySQL type",
}];

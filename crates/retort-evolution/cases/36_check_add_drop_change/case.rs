//! Check constraints on an existing table added, dropped and changed (issue 7, item 1).
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("products")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("price", Type::numeric(10, 2)).not_null())
        .column(Column::new("stock", Type::Integer).not_null())
        .column(Column::new("discount", Type::numeric(4, 2)))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(
        base()
            .check(Some("ck_products_price"), "price > 0")
            .check(Some("ck_products_discount"), "discount < 50"),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .check(Some("ck_products_price"), "price >= 0")
            .check(Some("ck_products_stock"), "stock >= 0"),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "products", columns: &["id", "price", "stock", "discount"], rows: &[&["1", "9.99", "3", "10"], &["2", "1.00", "0", "NULL"]] }]
}

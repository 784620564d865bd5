//! `%(constraint_name)s` in a naming convention is the constraint's given name (issue 11,
//! item 2): a check named `price_positive` under `ck_%(table_name)s_%(constraint_name)s` is
//! created as `ck_products_price_positive`, and a unique constraint named `sku` under
//! `uq_%(table_name)s_%(constraint_name)s` as `uq_products_sku`, as SQLAlchemy names them.
use retort_core::*;
use retort_evolution::Seed;

fn naming() -> NamingConvention {
    NamingConvention {
        ck: Some("ck_%(table_name)s_%(constraint_name)s".into()),
        uq: Some("uq_%(table_name)s_%(constraint_name)s".into()),
        ..NamingConvention::default()
    }
}

fn products() -> Table {
    Table::new("products")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("sku", Type::Text).not_null())
        .column(Column::new("price", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().naming_convention(naming()).table(products())
}

pub fn after() -> MetaData {
    let mut t = products().check(Some("price_positive"), "price > 0").unique(["sku"]);
    t.uniques[0].name = Some("sku".into());
    MetaData::new().naming_convention(naming()).table(t)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "products", columns: &["id", "sku", "price"], rows: &[&["1", "'a'", "10"], &["2", "'b'", "20"]] }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support a unique constraint on column `products.sku` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant)",
}];

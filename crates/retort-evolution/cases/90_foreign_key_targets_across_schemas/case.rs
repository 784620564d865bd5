//! Foreign keys out of named schemas (issue 11, item 1): an unqualified target is the default
//! schema's table (SQLAlchemy's meaning), not one in the referring table's schema; a target
//! in a named schema, the referring table's own or another, is spelled with it; and the
//! default schema may be named explicitly (`public.products`) for the same key.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn base() -> MetaData {
    MetaData::new()
        .table(
            Table::new("products")
                .column(Column::new("product_id", Type::Integer).not_null())
                .primary_key(["product_id"]),
        )
        .table(
            Table::new("warehouses")
                .schema("inventory")
                .column(Column::new("id", Type::Integer).not_null())
                .primary_key(["id"]),
        )
}

pub fn before() -> MetaData {
    base()
}

pub fn after() -> MetaData {
    base()
        .table(
            Table::new("stock_levels")
                .schema("inventory")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("product_id", Type::Integer).not_null())
                .column(Column::new("warehouse_id", Type::Integer).not_null())
                .column(Column::new("replaces_product_id", Type::Integer))
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["product_id"], "products", ["product_id"]))
                .foreign_key(ForeignKey::new(["warehouse_id"], "warehouses", ["id"]).ref_schema("inventory"))
                .foreign_key(ForeignKey::new(["replaces_product_id"], "products", ["product_id"]).ref_schema("public")),
        )
        .table(
            Table::new("shipments")
                .schema("logistics")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("warehouse_id", Type::Integer).not_null())
                .column(Column::new("product_id", Type::Integer).not_null())
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["warehouse_id"], "warehouses", ["id"]).ref_schema("inventory"))
                .foreign_key(ForeignKey::new(["product_id"], "products", ["product_id"])),
        )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "products", columns: &["product_id"], rows: &[&["1"], &["2"]] }]
}

//! Many changes in one revision: a table added with a key to a kept one, a column dropped,
//! a type widened, a default changed, an index and a check added, a nullability relaxed.
use retort_core::*;
use retort_evolution::Seed;

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("products")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("name", Type::Varchar(Some(50))).not_null())
            .column(Column::new("legacy_code", Type::Text))
            .column(Column::new("price", Type::numeric(8, 2)).not_null().server_default(ServerDefault::int(0)))
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(
            Table::new("products")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("name", Type::Varchar(Some(120))))
                .column(Column::new("price", Type::numeric(8, 2)).not_null().server_default(ServerDefault::Literal(Literal::Number("9.99".into()))))
                .primary_key(["id"])
                .check(Some("ck_products_price"), "price >= 0")
                .index(Index::on_columns(["name"]).name("ix_products_name")),
        )
        .table(
            Table::new("reviews")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("product_id", Type::Integer).not_null())
                .column(Column::new("stars", Type::SmallInt).not_null())
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["product_id"], "products", ["id"]).name("fk_reviews_product").on_delete(FkAction::Cascade)),
        )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "products", columns: &["id", "name", "legacy_code", "price"], rows: &[&["1", "'pen'", "'P1'", "1.50"], &["2", "'ink'", "NULL", "3.00"]] }]
}


//! A table whose constraint and index names, built by the naming convention, exceed
//! PostgreSQL's 63 bytes (issue 10, item 10). PostgreSQL would cut each at 63 bytes, so the
//! two unique constraints (same first 63 bytes) would collide and `check` would differ
//! forever; they are shortened as SQLAlchemy shortens them (first 55 bytes, `_`, four hex
//! digits of the name's MD5), the same in the model, the upgrade and `create_all`. SQLite
//! keeps any length: there the names stay whole.
use retort_core::*;
use retort_evolution::Seed;

/// 61 bytes: `pk_` + this is 64.
const TABLE: &str = "customer_loyalty_programme_memberships_by_region_and_channel_";

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

fn convention() -> MetaData {
    MetaData::new().naming_convention(NamingConvention::recommended())
}

pub fn before() -> MetaData {
    convention().table(customers())
}

pub fn after() -> MetaData {
    convention().table(customers()).table(
        Table::new(TABLE)
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("customer_id", Type::Integer).not_null())
            .column(Column::new("code_a", Type::Varchar(Some(20))))
            .column(Column::new("code_b", Type::Varchar(Some(20))))
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["customer_id"], "customers", ["id"]))
            .unique(["code_a"])
            .unique(["code_b"])
            .index(Index::on_columns(["customer_id"])),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "customers", columns: &["id"], rows: &[&["1"], &["2"]] }]
}

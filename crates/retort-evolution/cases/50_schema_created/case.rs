//! A model naming a schema the database lacks creates it, with a table and an enum type
//! in it; the downgrade drops what it created (issue 7, item 9).
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn customers() -> Table {
    Table::new("customers")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(customers())
}

pub fn after() -> MetaData {
    let mut stage = EnumType::new("stage", ["lead", "won"]);
    stage.schema = Some("sales".into());
    MetaData::new().table(customers()).enum_type(stage).table(
        Table::new("deals")
            .schema("sales")
            .column(Column::new("id", Type::BigInt).identity(Identity::always()))
            .column(Column::new("customer_id", Type::Integer).not_null())
            .column(Column::new("stage", Type::Enum(EnumRef { schema: Some("sales".into()), name: "stage".into() })))
            .primary_key(["id"]),
    )
}

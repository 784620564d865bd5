//! PostgreSQL-only types added and changed: interval, jsonb with a default, timetz, an
//! array of an enum, json -> jsonb.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];

fn base() -> Table {
    Table::new("samples")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().enum_type(EnumType::new("color", ["red", "green"])).table(base().column(Column::new("meta", Type::Json)))
}

pub fn after() -> MetaData {
    MetaData::new().enum_type(EnumType::new("color", ["red", "green"])).table(
        base()
            .column(Column::new("meta", Type::Jsonb))
            .column(Column::new("wait", Type::Interval).server_default(ServerDefault::text("1 day")))
            .column(Column::new("attrs", Type::Jsonb).not_null().server_default(ServerDefault::expr("'{}'::jsonb")))
            .column(Column::new("local", Type::Time { tz: true }))
            .column(Column::new("colors", Type::array(Type::enumeration("color")))),
    )
}

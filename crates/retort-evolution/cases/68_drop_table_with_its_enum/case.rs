//! A table dropped with the enum type only it used: the type goes after the table, and the
//! downgrade creates the type before the table.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres", "sqlite", "mysql"];

fn kept() -> Table {
    Table::new("users")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().enum_type(EnumType::new("level", ["debug", "info", "warn"])).table(kept()).table(
        Table::new("logs")
            .column(Column::new("id", Type::BigInt).identity(Identity::always()))
            .column(Column::new("level", Type::enumeration("level")).not_null().server_default(ServerDefault::text("info")))
            .column(Column::new("user_id", Type::Integer))
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["user_id"], "users", ["id"]))
            .index(Index::on_columns(["level"]).name("ix_logs_level"))
            .comment("what happened"),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(kept())
}

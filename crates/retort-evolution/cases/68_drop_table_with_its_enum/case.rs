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

/// Directions this case is not yet carried across (see `retort_evolution::run_cross`).
pub const NOT_PORTABLE: &[retort_evolution::NotPortable] = &[
    retort_evolution::NotPortable {
        direction: "sqlite_to_postgres",
        error: "check on the target against the before-model after the downgrade found",
        reason: "open: the dropped table's definition read on SQLite has its rowid identity (INTEGER, where the model says BIGINT) and no comment (SQLite keeps none), so the downgrade re-creates logs that way on PostgreSQL; the enum carries across",
    },
];

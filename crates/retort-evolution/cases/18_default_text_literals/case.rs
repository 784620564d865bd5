//! Text literal defaults with quotes, backslashes and non-ASCII text, added and changed:
//! they round-trip and never make autogenerate or `check` see a change that is not there.
use retort_core::*;
use retort_evolution::Seed;

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("labels")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("greeting", Type::Text).server_default(ServerDefault::text("it's")))
            .column(Column::new("path", Type::Varchar(Some(100))))
            .primary_key(["id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(
        Table::new("labels")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("greeting", Type::Text).server_default(ServerDefault::text("l'été « déjà » — 日本")))
            .column(Column::new("path", Type::Varchar(Some(100))).server_default(ServerDefault::text(r"C:\temp\'new'")))
            .primary_key(["id"]),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "labels", columns: &["id", "greeting", "path"], rows: &[&["1", "'hi'", "'/x'"]] }]
}


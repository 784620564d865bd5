//! Per-dialect variants (SQLAlchemy's `with_variant`): a UUID column added with
//! `gen_random_uuid()` on PostgreSQL, a random hex text on SQLite (which has no
//! `gen_random_uuid()`: given as is, the first insert failed) and `uuid()` on MariaDB/MySQL
//! (which has none either), a document column that is
//! JSONB on PostgreSQL and TEXT on SQLite, a timestamp defaulting to `now()` where SQLite says
//! `CURRENT_TIMESTAMP`, and a default that only PostgreSQL has. The probe inserts a row
//! without the new columns, so their defaults must run.
use retort_core::*;
use retort_evolution::{Probe, Seed};

fn base() -> Table {
    Table::new("documents").column(Column::new("id", Type::Integer).not_null()).primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base().column(Column::new("title", Type::Text)))
}

pub fn after() -> MetaData {
    let token = ServerDefault::expr("gen_random_uuid()")
        .with_variant(DialectKind::Sqlite, Some(ServerDefault::expr("lower(hex(randomblob(16)))")))
        .with_variant(DialectKind::Mysql, Some(ServerDefault::expr("uuid()")));
    let created = ServerDefault::expr("now()").with_variant(DialectKind::Sqlite, Some(ServerDefault::expr("CURRENT_TIMESTAMP")));
    MetaData::new().table(
        base()
            .column(Column::new("title", Type::Text).server_default(ServerDefault::only_on(DialectKind::Postgres, ServerDefault::text("untitled"))))
            .column(Column::new("token", Type::Uuid).not_null().server_default(token))
            .column(Column::new("body", Type::Jsonb.with_variant(DialectKind::Sqlite, Type::Text)))
            .column(Column::new("created", Type::Timestamp { tz: true }).not_null().server_default(created)),
    )
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "documents", columns: &["id", "title"], rows: &[&["1", "'a'"]] }]
}

pub fn probes() -> Vec<Probe> {
    vec![Probe {
        statements: &["INSERT INTO documents (id, title) VALUES (2, 'b')"],
        table: "documents",
        columns: &["id", "title"],
        expect: &["1|a", "2|b"],
        undo: &["DELETE FROM documents WHERE id = 2"],
    }]
}

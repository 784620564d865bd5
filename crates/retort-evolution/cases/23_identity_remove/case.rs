//! An identity removed from a key column; the values stay.
use retort_core::*;
use retort_evolution::Seed;

fn table(identity: bool) -> Table {
    let id = Column::new("id", Type::Integer).not_null();
    Table::new("tickets")
        .column(if identity { id.identity(Identity::by_default()) } else { id })
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(true))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(false))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "tickets", columns: &["id", "title"], rows: &[&["1", "'first'"], &["2", "'second'"]] }]
}

/// Directions this case is not yet carried across (see `retort_evolution::run_cross`).
pub const NOT_PORTABLE: &[retort_evolution::NotPortable] = &[
    retort_evolution::NotPortable {
        direction: "sqlite_to_postgres",
        error: "check on the target against the before-model after the downgrade found",
        reason: "open: identity options are recorded as SQLite's rowid identity, which is not PostgreSQL's",
    },
    retort_evolution::NotPortable {
        direction: "postgres_to_sqlite",
        error: "upgrade of the target: rendering the ops failed: operation 1 (alter co",
        reason: "open: identity options are recorded as SQLite's rowid identity, or PostgreSQL's on SQLite",
    },
];

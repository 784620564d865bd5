//! A generated column made of a `||` chain removed; the downgrade computes it again for the
//! rows there. PostgreSQL stores the expression as `((first_name || ' '::text) || last_name)`:
//! autogenerate against `create_all` of the same model must still find nothing.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("people")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("first_name", Type::Text).not_null())
        .column(Column::new("last_name", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base().column(
        Column::new("full_name", Type::Text).computed(Computed::stored("first_name || ' ' || last_name")),
    ))
}

pub fn after() -> MetaData {
    MetaData::new().table(base())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "people", columns: &["id", "first_name", "last_name"], rows: &[&["1", "'Ada'", "'Lovelace'"]] }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "autogenerate against create_all(before) found changes:",
    reason: "`||` is OR in MySQL's default sql_mode (MariaDB stores `a <> 0 or ' ' or b <> 0`): the model's PostgreSQL/SQLite expression is another expression there, and a generated column has no per-dialect variant to say CONCAT(..)",
}];

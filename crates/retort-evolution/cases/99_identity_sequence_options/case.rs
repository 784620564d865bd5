//! Identity MINVALUE, MAXVALUE, CYCLE and CACHE set, changed and reset (PostgreSQL only:
//! SQLite's AUTOINCREMENT has no options). The descending column's MINVALUE is one of its
//! type's defaults written out, which is no change.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(up: Identity, down: Identity) -> Table {
    Table::new("tickets")
        .column(Column::new("id", Type::Integer).identity(up))
        .column(Column::new("countdown", Type::SmallInt).identity(down))
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(
        Identity::always().maxvalue(1_000_000).cache(5),
        Identity::by_default().increment(-1).minvalue(-32768),
    ))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(
        Identity::always().minvalue(0).maxvalue(2_000_000).cycle().cache(20),
        Identity::by_default().increment(-1).minvalue(-1000).cycle(),
    ))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "tickets",
        columns: &["title"],
        rows: &[&["'a'"], &["'b'"]],
    }]
}

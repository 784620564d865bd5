//! An unnamed foreign key dropped: the downgrade puts it back by the name the database
//! gave it, never an unnamed drop_constraint (issue 7, item 11).
use retort_core::*;
use retort_evolution::Seed;

// SQLite left out: the diff names the constraint it adds with PostgreSQL's scheme, so
// SQLite stores a name that create_all leaves off (see the suite's README).
pub const DIALECTS: &[&str] = &["postgres"];

fn parent() -> Table {
    Table::new("teams")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

fn child() -> Table {
    Table::new("players")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("team_id", Type::Integer))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(parent())
        .table(child().foreign_key(ForeignKey::new(["team_id"], "teams", ["id"]).on_delete(FkAction::SetNull)))
}

pub fn after() -> MetaData {
    MetaData::new().table(parent()).table(child())
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "teams", columns: &["id"], rows: &[&["1"]] },
        Seed { table: "players", columns: &["id", "team_id"], rows: &[&["1", "1"], &["2", "NULL"]] },
    ]
}

//! An unnamed foreign key dropped: on PostgreSQL by the name the database gave it, never
//! an unnamed drop_constraint (issue 7, item 11); on SQLite, which leaves it unnamed, by
//! its definition, and the downgrade puts it back unnamed, as create_all has it.
use retort_core::*;
use retort_evolution::Seed;

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

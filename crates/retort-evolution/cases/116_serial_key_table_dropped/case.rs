//! A table with a serial key dropped (issue 19), PostgreSQL only (the rowid key of SQLite is
//! case 115's): the downgrade re-creates its sequence, its ownership and the key's default;
//! the kept serial table goes on numbering after its rows.
use retort_core::*;
use retort_evolution::{Probe, Seed};

pub const DIALECTS: &[&str] = &["postgres"];

fn notes() -> Table {
    Table::new("notes")
        .column(Column::new("note_id", Type::Integer).serial(Serial::new()))
        .column(Column::new("body", Type::Text))
        .primary_key(["note_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(notes()).table(
        Table::new("studies")
            .column(Column::new("study_id", Type::BigInt).serial(Serial::new()))
            .column(Column::new("title", Type::Text).not_null())
            .primary_key(["study_id"]),
    )
}

pub fn after() -> MetaData {
    MetaData::new().table(notes())
}

/// Keys from the sequences, not given: the sequences have moved when the table is dropped.
pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "notes", columns: &["body"], rows: &[&["'a'"], &["'b'"]] },
        Seed { table: "studies", columns: &["title"], rows: &[&["'x'"]] },
    ]
}

pub fn probes() -> Vec<Probe> {
    vec![Probe {
        statements: &["INSERT INTO notes (body) VALUES ('c')"],
        table: "notes",
        columns: &["note_id", "body"],
        expect: &["1|a", "2|b", "3|c"],
        undo: &["DELETE FROM notes WHERE body = 'c'", "SELECT setval('notes_note_id_seq', 2)"],
    }]
}

//! Row level security and a policy made by hand on a table the model keeps (nobody declared
//! them, no revision made them) are left alone, each named in a warning, while the model
//! adds a policy of its own on another table: the switch is not turned off by a model that
//! never mentioned it.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres"];
pub const WARNINGS: &[&str] = &[
    "row level security on accounts is in the database but not in the model",
    "policy handmade on accounts is in the database but not in the model",
];

fn shop() -> MetaData {
    MetaData::new()
        .table(
            Table::new("accounts")
                .column(Column::new("account_id", Type::Integer).not_null())
                .primary_key(["account_id"]),
        )
        .table(
            Table::new("notes")
                .column(Column::new("note_id", Type::Integer).not_null())
                .primary_key(["note_id"]),
        )
}

pub fn by_hand() -> Vec<String> {
    vec![
        "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY".into(),
        "CREATE POLICY handmade ON accounts USING (account_id > 0)".into(),
    ]
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop()
        .with_entity(RowLevelSecurity::new("notes"))
        .with_entity(Policy::new("notes", "positive", "USING (note_id > 0)"))
}

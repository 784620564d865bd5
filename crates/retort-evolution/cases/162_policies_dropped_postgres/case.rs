//! Row level security switched off and the policies dropped (under version control: the
//! suite declares both models' entities so), then restored exactly by the downgrade; a
//! policy on a table the revision drops goes first, and comes back after its table.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c162_app"];

fn accounts() -> Table {
    Table::new("accounts")
        .column(Column::new("account_id", Type::Integer).not_null())
        .column(Column::new("owner", Type::Text).not_null())
        .primary_key(["account_id"])
}

pub fn before() -> MetaData {
    MetaData::new()
        .table(accounts())
        .table(
            Table::new("scratch")
                .column(Column::new("id", Type::Integer).not_null())
                .primary_key(["id"]),
        )
        .with_entity(RowLevelSecurity::new("accounts").forced())
        .with_entity(RowLevelSecurity::new("scratch"))
        .with_entity(Policy::new(
            "accounts",
            "app_reads",
            format!("AS RESTRICTIVE FOR SELECT TO {} USING (owner <> '')", role("c162_app")),
        ))
        .with_entity(Policy::new("scratch", "all_rows", "USING (true) WITH CHECK (id > 0)"))
}

pub fn after() -> MetaData {
    MetaData::new().table(accounts())
}

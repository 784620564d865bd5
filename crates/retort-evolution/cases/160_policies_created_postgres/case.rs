//! Row level security switched on for two tables (one forced on the owner too) and
//! policies created on them: permissive and restrictive, for one command or all, to
//! PUBLIC or to a role, with USING and WITH CHECK written as a user writes them, which
//! PostgreSQL prints otherwise (no false positive after the upgrade). A policy calling a
//! function the same revision creates comes after it.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c160_app"];

fn shop() -> MetaData {
    MetaData::new()
        .table(
            Table::new("accounts")
                .column(Column::new("account_id", Type::Integer).not_null())
                .column(Column::new("owner", Type::Text).not_null())
                .primary_key(["account_id"]),
        )
        .table(
            Table::new("notes")
                .column(Column::new("note_id", Type::Integer).not_null())
                .column(Column::new("account_id", Type::Integer).not_null())
                .column(Column::new("body", Type::Text))
                .primary_key(["note_id"]),
        )
}

pub fn before() -> MetaData {
    shop()
}

pub fn after() -> MetaData {
    shop()
        .with_entity(RowLevelSecurity::new("accounts"))
        .with_entity(RowLevelSecurity::new("notes").forced())
        .with_entity(Policy::new(
            "accounts",
            "own_accounts",
            "FOR ALL USING (owner = current_user) WITH CHECK (owner = current_user)",
        ))
        .with_entity(Policy::new(
            "accounts",
            "app_reads",
            format!("FOR SELECT TO {} USING (true)", role("c160_app")),
        ))
        .with_entity(Policy::new(
            "notes",
            "visible_notes",
            "AS RESTRICTIVE FOR SELECT USING (may_see(account_id))",
        ))
        .with_entity(Function::new(
            "may_see",
            "account int",
            "RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT account > 0 $$",
        ))
}

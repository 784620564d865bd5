//! Policies changed: one whose roles and USING change (ALTER POLICY), one whose command
//! changes and one that becomes restrictive (both dropped and created: ALTER POLICY cannot
//! say it), one whose WITH CHECK goes away (dropped and created: ALTER POLICY cannot remove
//! an expression); row level security forced on one table and no longer on the other.
//! The downgrade restores each exactly.
use retort_core::*;
use retort_evolution::role;

pub const DIALECTS: &[&str] = &["postgres"];
pub const ROLES: &[&str] = &["c161_app", "c161_audit"];

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
                .primary_key(["note_id"]),
        )
}

pub fn before() -> MetaData {
    shop()
        .with_entity(RowLevelSecurity::new("accounts").forced())
        .with_entity(RowLevelSecurity::new("notes"))
        .with_entity(Policy::new(
            "accounts",
            "app_reads",
            format!("FOR SELECT TO {} USING (account_id > 0)", role("c161_app")),
        ))
        .with_entity(Policy::new("accounts", "owner_writes", "FOR UPDATE USING (owner = current_user)"))
        .with_entity(Policy::new("notes", "some_notes", "USING (account_id > 0)"))
        .with_entity(Policy::new(
            "notes",
            "checked_notes",
            "FOR INSERT WITH CHECK (account_id > 0)",
        ))
        .with_entity(Policy::new(
            "notes",
            "checked_updates",
            "FOR UPDATE USING (true) WITH CHECK (account_id > 0)",
        ))
}

pub fn after() -> MetaData {
    shop()
        .with_entity(RowLevelSecurity::new("accounts"))
        .with_entity(RowLevelSecurity::new("notes").forced())
        .with_entity(Policy::new(
            "accounts",
            "app_reads",
            format!(
                "FOR SELECT TO {}, {} USING (account_id > 10)",
                role("c161_app"),
                role("c161_audit")
            ),
        ))
        .with_entity(Policy::new("accounts", "owner_writes", "FOR ALL USING (owner = current_user)"))
        .with_entity(Policy::new("notes", "some_notes", "AS RESTRICTIVE USING (account_id > 0)"))
        .with_entity(Policy::new(
            "notes",
            "checked_notes",
            "FOR INSERT WITH CHECK (account_id > 1)",
        ))
        .with_entity(Policy::new("notes", "checked_updates", "FOR UPDATE USING (true)"))
}

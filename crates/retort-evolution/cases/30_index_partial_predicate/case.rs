//! A partial index whose predicate changes under the same name (issue 7, item 3).
use retort_core::*;

fn table(predicate: &str) -> Table {
    Table::new("tasks")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("status", Type::Text).not_null())
        .column(Column::new("due", Type::Date))
        .primary_key(["id"])
        .index(Index::on_columns(["due"]).name("ix_tasks_open_due").predicate(predicate))
}

pub fn before() -> MetaData {
    MetaData::new().table(table("status = 'open'"))
}

pub fn after() -> MetaData {
    MetaData::new().table(table("status <> 'done'"))
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support partial indexes (WHERE) (index `ix_tasks_open_due`",
    reason: "MySQL and MariaDB have no partial indexes",
}];

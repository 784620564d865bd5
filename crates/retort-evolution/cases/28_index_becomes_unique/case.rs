//! An index made unique under the same name.
use retort_core::*;

fn table(unique: bool) -> Table {
    let ix = Index::on_columns(["email"]).name("ix_accounts_email");
    Table::new("accounts")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("email", Type::Text).not_null())
        .primary_key(["id"])
        .index(if unique { ix.unique() } else { ix })
}

pub fn before() -> MetaData {
    MetaData::new().table(table(false))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(true))
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support an index on column `accounts.email` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant)",
}];

//! An expression index added (lower(email)) and a column index turned into one.
use retort_core::*;

fn base() -> Table {
    Table::new("accounts")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("email", Type::Text).not_null())
        .column(Column::new("name", Type::Text))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base().index(Index::on_columns(["name"]).name("ix_accounts_name")))
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .index(Index::on(vec![IndexElement::expr("lower(name)")]).name("ix_accounts_name"))
            .index(Index::on(vec![IndexElement::expr("lower(email)")]).name("ix_accounts_email_lower").unique()),
    )
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support an index on column `accounts.name` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant); its expression index has no MariaDB counterpart either",
}];

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

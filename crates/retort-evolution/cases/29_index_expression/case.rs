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

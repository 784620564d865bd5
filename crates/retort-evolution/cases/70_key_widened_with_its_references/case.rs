//! integer -> bigint on a primary key and on the foreign key that references it, in one
//! step, with rows in both tables.
use retort_core::*;
use retort_evolution::Seed;

fn model(ty: Type) -> MetaData {
    MetaData::new()
        .table(
            Table::new("accounts")
                .column(Column::new("id", ty.clone()).not_null())
                .primary_key(["id"]),
        )
        .table(
            Table::new("entries")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("account_id", ty).not_null())
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["account_id"], "accounts", ["id"]).name("fk_entries_account").on_delete(FkAction::Cascade)),
        )
}

pub fn before() -> MetaData {
    model(Type::Integer)
}

pub fn after() -> MetaData {
    model(Type::BigInt)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "accounts", columns: &["id"], rows: &[&["1"], &["2"]] },
        Seed { table: "entries", columns: &["id", "account_id"], rows: &[&["1", "1"], &["2", "2"], &["3", "2"]] },
    ]
}

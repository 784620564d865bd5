//! A unique constraint added (named), another dropped, an unnamed one kept.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("users")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("email", Type::Text).not_null())
        .column(Column::new("handle", Type::Varchar(Some(40))))
        .column(Column::new("phone", Type::Text))
        .primary_key(["id"])
        .unique(["email"])
}

pub fn before() -> MetaData {
    let mut t = base();
    t.uniques.push(Unique::new(["phone"]).name("uq_users_phone"));
    MetaData::new().table(t)
}

pub fn after() -> MetaData {
    let mut t = base();
    t.uniques.push(Unique::new(["handle"]).name("uq_users_handle"));
    MetaData::new().table(t)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "users", columns: &["id", "email", "handle", "phone"], rows: &[&["1", "'a@x'", "'ada'", "'1'"], &["2", "'b@x'", "'bob'", "'2'"]] }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support a unique constraint on column `users.email` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant)",
}];

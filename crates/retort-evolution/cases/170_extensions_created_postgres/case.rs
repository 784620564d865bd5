//! Extensions created: `citext`, which a new column uses (so it is created before the
//! column), and `pgcrypto` in a schema of its own at a given version (the schema first).
//! The downgrade drops the column, then the extensions, then the schema.
use retort_core::*;

pub const DIALECTS: &[&str] = &["postgres", "mysql"];

fn customers(with_email: bool) -> Table {
    let t = Table::new("customers")
        .column(Column::new("customer_id", Type::Integer).not_null())
        .column(Column::new("name", Type::Varchar(Some(100))).not_null());
    let t = if with_email {
        t.column(Column::new("email", Type::Custom("citext".into())))
    } else {
        t
    };
    t.primary_key(["customer_id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(customers(false))
}

pub fn after() -> MetaData {
    MetaData::new()
        .table(customers(true))
        .with_entity(Extension::new("citext"))
        .with_entity(Extension::new("pgcrypto").in_schema("crypto").version("1.3"))
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support extension citext",
    reason: "MySQL and MariaDB have no extensions",
}];

//! Columns of many types added at once (uuid, json, binary, date, time, char(n), smallint,
//! unbounded numeric): created as the model says and never a false difference after.
use retort_core::*;

fn base() -> Table {
    Table::new("samples")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    MetaData::new().table(
        base()
            .column(Column::new("token", Type::Uuid))
            .column(Column::new("doc", Type::Json))
            .column(Column::new("blob", Type::Binary))
            .column(Column::new("day", Type::Date))
            .column(Column::new("at", Type::Time { tz: false }))
            .column(Column::new("country", Type::Char(Some(2))))
            .column(Column::new("small", Type::SmallInt).server_default(ServerDefault::int(7)))
            .column(Column::new("amount", Type::Numeric { precision: None, scale: None })),
    )
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support the column type Numeric (column `samples.amount`)",
    reason: "MySQL's DECIMAL without a precision is DECIMAL(10, 0), which would cut every fraction: a NUMERIC without precision has no MySQL type",
}];

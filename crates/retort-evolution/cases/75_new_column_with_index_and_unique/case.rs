//! A column added together with an index and a unique constraint on it, in one revision.
use retort_core::*;
use retort_evolution::Seed;

fn base() -> Table {
    Table::new("devices")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(base())
}

pub fn after() -> MetaData {
    let mut t = base()
        .column(Column::new("serial_no", Type::Varchar(Some(32))))
        .column(Column::new("site", Type::Text))
        .index(Index::on_columns(["site", "serial_no"]).name("ix_devices_site_serial"));
    t.uniques.push(Unique::new(["serial_no"]).name("uq_devices_serial_no"));
    MetaData::new().table(t)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "devices", columns: &["id"], rows: &[&["1"], &["2"]] }]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support an index on column `devices.site` of type Text",
    reason: "MySQL keys only a prefix of a TEXT, BLOB or JSON column, which the model cannot say; SQLAlchemy's TEXT index fails there the same way (a careful MySQL model gives the column a VARCHAR(n) variant)",
}];

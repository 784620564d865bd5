//! integer -> bigint on a column a stored generated column computes from (issue 7, item 8):
//! PostgreSQL refuses to alter the type under a generated column, so the generated column
//! goes first and comes back after the alter, its values computed anew.
use retort_core::*;
use retort_evolution::Seed;

fn table(ty: Type) -> Table {
    Table::new("lines")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("qty", ty).not_null())
        .column(Column::new("double_qty", Type::BigInt).computed(Computed::stored("qty * 2")))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(Type::Integer))
}

pub fn after() -> MetaData {
    MetaData::new().table(table(Type::BigInt))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "lines", columns: &["id", "qty"], rows: &[&["1", "2"], &["2", "5"]] }]
}

//! A foreign key made DEFERRABLE INITIALLY DEFERRED.
use retort_core::*;
use retort_evolution::Seed;

fn model(fk: ForeignKey) -> MetaData {
    MetaData::new()
        .table(Table::new("nodes").column(Column::new("id", Type::Integer).not_null()).primary_key(["id"]))
        .table(
            Table::new("edges")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("node_id", Type::Integer).not_null())
                .primary_key(["id"])
                .foreign_key(fk),
        )
}

fn fk() -> ForeignKey {
    ForeignKey::new(["node_id"], "nodes", ["id"]).name("fk_edges_node")
}

pub fn before() -> MetaData {
    model(fk())
}

pub fn after() -> MetaData {
    model(fk().deferrable(Deferrable::InitiallyDeferred))
}

pub fn seed_rows() -> Vec<Seed> {
    vec![
        Seed { table: "nodes", columns: &["id"], rows: &[&["1"], &["2"]] },
        Seed { table: "edges", columns: &["id", "node_id"], rows: &[&["1", "1"], &["2", "2"]] },
    ]
}

/// What MariaDB/MySQL cannot run of this case (see `retort_evolution::run_case`).
pub const UNSUPPORTED: &[retort_evolution::Unsupported] = &[retort_evolution::Unsupported {
    dialect: "mysql",
    error: "MySQL does not support deferrable constraints",
    reason: "InnoDB checks every foreign key at once; there is no DEFERRABLE",
}];

//! The generated N-table model (the same shape as `bench/gen_models.py` and the
//! introspection test's `generated_model` in retort-dialect).

use retort::prelude::*;

/// The table count: `RETORT_BENCH_TABLES`, else 1,000.
pub fn table_count() -> usize {
    std::env::var("RETORT_BENCH_TABLES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1000)
}

pub fn from_env() -> MetaData {
    generated(table_count())
}

/// `n` tables `t0..t{n-1}`: identity primary key, a foreign key to the previous table, a
/// unique `code`, an index on `(name, created)`, server defaults on four columns.
pub fn generated(n: usize) -> MetaData {
    let mut md = MetaData::new();
    for i in 0..n {
        let mut t = Table::new(format!("t{i}"))
            .column(Column::new("id", Type::Integer).identity(Identity::always()))
            .column(Column::new("prev_id", Type::Integer))
            .column(Column::new("code", Type::Varchar(Some(40))).not_null())
            .column(
                Column::new("name", Type::Varchar(Some(100)))
                    .not_null()
                    .server_default(ServerDefault::text("x")),
            )
            .column(
                Column::new("qty", Type::Integer)
                    .not_null()
                    .server_default(ServerDefault::int(0)),
            )
            .column(
                Column::new("price", Type::numeric(10, 2)).server_default(ServerDefault::int(0)),
            )
            .column(
                Column::new("active", Type::Boolean)
                    .not_null()
                    .server_default(ServerDefault::bool(true)),
            )
            .column(
                Column::new("created", Type::Timestamp { tz: true })
                    .not_null()
                    .server_default(ServerDefault::expr("now()")),
            )
            .column(Column::new("note", Type::Text))
            .primary_key(["id"])
            .unique(["code"])
            .index(Index::on_columns(["name", "created"]).name(format!("t{i}_name_created")));
        if i > 0 {
            t = t.foreign_key(ForeignKey::new(["prev_id"], format!("t{}", i - 1), ["id"]));
        }
        md.add_table(t);
    }
    md
}

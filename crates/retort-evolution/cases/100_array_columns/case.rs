//! Array columns, as `Vec<..>` fields give them: one added with two dimensions and a length
//! (`VARCHAR(20)[][]`), one with a default, and an element widened under its rows (PostgreSQL
//! only: SQLite has no arrays and refuses them with a hint).
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

fn table(code_length: u32) -> Table {
    Table::new("posts")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("tags", Type::array(Type::Varchar(None))).not_null())
        .column(Column::new("codes", Type::array(Type::Varchar(Some(code_length)))))
        .primary_key(["id"])
}

pub fn before() -> MetaData {
    MetaData::new().table(table(8))
}

pub fn after() -> MetaData {
    let t = table(16)
        .column(Column::new(
            "grid",
            Type::array(Type::array(Type::Varchar(Some(20)))),
        ))
        .column(
            Column::new("scores", Type::array(Type::Integer))
                .not_null()
                .server_default(ServerDefault::expr("'{}'")),
        );
    MetaData::new().table(t)
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed {
        table: "posts",
        columns: &["id", "tags", "codes"],
        rows: &[
            &["1", "ARRAY['a', 'b']", "ARRAY['x1']"],
            &["2", "'{}'", "NULL"],
        ],
    }]
}

//! The generated N-table models: `../shared/bench/gen_models.py` (N tables, `bench/run.sh`) and
//! `gen10k.py` (N tables in S schemas, `bench/scale.sh`), and the older model with views and
//! triggers that `bench/entities.sh` measures against `bench/gen_models.py`.

use retort::prelude::*;

/// The table count: `RETORT_BENCH_TABLES`, else 1,000.
pub fn table_count() -> usize {
    env_count("RETORT_BENCH_TABLES", 1000)
}

/// The schema count: `RETORT_BENCH_SCHEMAS`, else 0 (every table in the default schema,
/// `gen_models.py`); with S > 0 the tables are spread over schemas `s0..s{S-1}`
/// (`gen10k.py N S`).
pub fn schema_count() -> usize {
    env_count("RETORT_BENCH_SCHEMAS", 0)
}

pub fn from_env() -> MetaData {
    let n = table_count();
    let entities = env_count("RETORT_BENCH_VIEWS", 0) + env_count("RETORT_BENCH_TRIGGERS", 0);
    match schema_count() {
        0 if entities > 0 => with_entities(legacy(n), n),
        0 => generated(n),
        s => generated_in_schemas(n, s),
    }
}

/// `n` tables `t0..t{n-1}` in the default schema: `../shared/bench/gen_models.py`, table for
/// table, column for column.
pub fn generated(n: usize) -> MetaData {
    let mut md = MetaData::new();
    each_generated_table(n, 0, |t| {
        md.add_table(t);
    });
    md
}

/// `n` tables spread over `schemas` schemas `s0..`, `n / schemas` each, foreign keys within
/// each schema: `../shared/bench/gen10k.py n schemas`.
pub fn generated_in_schemas(n: usize, schemas: usize) -> MetaData {
    let mut md = MetaData::new();
    each_generated_table(n, schemas, |t| {
        md.add_table(t);
    });
    md
}

/// The tables of [`generated`] (`schemas` 0) or [`generated_in_schemas`], one at a time
/// and in the model's order, for the revision to record them without building the model.
/// `None` when the model has entities (views, triggers), which only [`from_env`] adds.
pub fn each_table_of_env(f: impl FnMut(Table)) -> Option<()> {
    let entities = env_count("RETORT_BENCH_VIEWS", 0) + env_count("RETORT_BENCH_TRIGGERS", 0);
    if entities > 0 && schema_count() == 0 {
        return None;
    }
    each_generated_table(table_count(), schema_count(), f);
    Some(())
}

fn each_generated_table(n: usize, schemas: usize, mut f: impl FnMut(Table)) {
    if schemas == 0 {
        for i in 0..n {
            f(table(i, i > 0, None));
        }
        return;
    }
    let per = n / schemas;
    for s in 0..schemas {
        for j in 0..per {
            f(table(s * per + j, j > 0, Some(&format!("s{s}"))));
        }
    }
}

/// Table `t{i}`: an identity primary key, a foreign key to `t{i-1}` (`ON DELETE CASCADE`,
/// indexed) when `fk`, a unique `code`, an index on `(name, created_at)`, server defaults
/// written as SQLAlchemy writes them (`'true'`, `'0'`, `now()`). Index names follow
/// SQLAlchemy's `ix_%(column_0_label)s` (the label carries the schema).
fn table(i: usize, fk: bool, schema: Option<&str>) -> Table {
    let mut t = Table::new(format!("t{i}"))
        .column(Column::new("id", Type::Integer).identity(Identity::always()));
    if fk {
        t = t.column(Column::new("parent_id", Type::Integer));
    }
    t = t
        .column(Column::new("name", Type::Varchar(Some(100))).not_null())
        .column(Column::new("code", Type::Varchar(Some(20))).not_null())
        .column(Column::new("body", Type::Text))
        .column(
            Column::new("active", Type::Boolean)
                .not_null()
                .server_default(ServerDefault::text("true")),
        )
        .column(Column::new("amount", Type::numeric(12, 2)))
        .column(
            Column::new("qty", Type::BigInt)
                .not_null()
                .server_default(ServerDefault::text("0")),
        )
        .column(
            Column::new("created_at", Type::Timestamp { tz: true })
                .not_null()
                .server_default(ServerDefault::expr("now()")),
        )
        .primary_key(["id"])
        .unique(["code"])
        .index(Index::on_columns(["name", "created_at"]).name(format!("ix_t{i}_name_created")));
    let label = match schema {
        Some(s) => format!("{s}_t{i}"),
        None => format!("t{i}"),
    };
    if fk {
        let mut f = ForeignKey::new(["parent_id"], format!("t{}", i - 1), ["id"])
            .on_delete(FkAction::Cascade);
        if let Some(s) = schema {
            f = f.ref_schema(s);
        }
        t = t
            .foreign_key(f)
            .index(Index::on_columns(["parent_id"]).name(format!("ix_{label}_parent_id")));
    }
    if let Some(s) = schema {
        t = t.schema(s);
    }
    t
}

/// The model `bench/entities.sh` measures (its `gen_models.py` writes the same for SQLAlchemy
/// with alembic_utils' views and triggers): `n` tables `t0..t{n-1}`: identity primary key, a foreign key to the previous table, a
/// unique `code`, an index on `(name, created)`, server defaults on four columns.
pub fn legacy(n: usize) -> MetaData {
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

/// An environment variable as a count, else `default`.
fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The view whose definition `RETORT_BENCH_CHANGE_VIEW=1` changes: a plain view over one
/// table that no other view reads, so the change is one `replace_entity`.
pub const CHANGED_VIEW: usize = 1;

/// The query of view `v{i}` over `n` tables: every fifth reads the view four before it,
/// every fifth joins a table with the one it references, the rest read one table.
/// `changed` is the edited definition of the one changed view. The same texts as
/// `bench/gen_models.py`.
pub fn view_query(i: usize, n: usize, changed: bool) -> String {
    let t = i % n;
    match i % 5 {
        3 if t > 0 => format!(
            "SELECT a.id, a.code, b.name AS prev_name FROM t{t} a JOIN t{p} b ON b.id = a.prev_id",
            p = t - 1
        ),
        4 => format!(
            "SELECT id, code, qty * 2 AS double_qty FROM v{v} WHERE qty > 0",
            v = i - 4
        ),
        _ if changed => format!("SELECT id, code, name, qty FROM t{t} WHERE active AND qty > 1"),
        _ => format!("SELECT id, code, name, qty FROM t{t} WHERE active"),
    }
}

/// The body of trigger function `touch_{j}` (everything after its empty argument list).
pub fn function_definition(j: usize) -> String {
    format!(
        "RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.note := 'touched {j}';\n  RETURN NEW;\nEND;\n$$"
    )
}

/// Adds `RETORT_BENCH_VIEWS` views (default 0) and `RETORT_BENCH_TRIGGERS` trigger
/// functions with one trigger each (default 0, on `t0..`, one table each) to `md`;
/// `RETORT_BENCH_CHANGE_VIEW=1` edits view `v{CHANGED_VIEW}`.
pub fn with_entities(mut md: MetaData, n: usize) -> MetaData {
    let views = env_count("RETORT_BENCH_VIEWS", 0);
    let triggers = env_count("RETORT_BENCH_TRIGGERS", 0).min(n);
    let change = env_count("RETORT_BENCH_CHANGE_VIEW", 0) == 1;
    for j in 0..triggers {
        md = md.with_entity(Function::new(
            format!("touch_{j}"),
            "",
            function_definition(j),
        ));
    }
    for i in 0..views {
        md = md.with_entity(View::new(
            format!("v{i}"),
            view_query(i, n, change && i == CHANGED_VIEW),
        ));
    }
    for j in 0..triggers {
        md = md.with_entity(Trigger::new(
            format!("t{j}"),
            format!("t{j}_touch"),
            format!("BEFORE UPDATE ON t{j} FOR EACH ROW EXECUTE FUNCTION touch_{j}()"),
        ));
    }
    md
}

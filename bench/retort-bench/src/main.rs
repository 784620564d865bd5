//! The migrations binary of `bench/`: Retort's side of the side-by-side with Alembic.
//!
//! The model is generated at run time from `RETORT_BENCH_TABLES` (default 1,000): tables
//! `t0..t{N-1}` of 9 columns each, an identity primary key, a foreign key to the previous
//! table, a unique column, a two-column index and server defaults; `bench/gen_models.py`
//! writes the same model for SQLAlchemy. `RETORT_BENCH_VIEWS` and `RETORT_BENCH_TRIGGERS`
//! add views, trigger functions and triggers (`bench/entities.sh`; alembic_utils' side in
//! `gen_models.py` too), and `RETORT_BENCH_CHANGE_VIEW=1` edits one view's definition.
//!
//! The one revision creating every table is a real [`Script`] run by the real command line
//! (`retort::cli::main`), so the measured path is the product's. Its `upgrade` records, at
//! run time, the ops of `diff(empty, model)`: exactly what `revision --autogenerate` would
//! have written into a file, without compiling a 15,000-line script for each N. A `Script`
//! holds plain `fn` pointers, so the table count reaches it through a process-wide static.

mod model;

use std::sync::OnceLock;

use retort::core::diff::{diff, DiffOptions};
use retort::migrate::Script;
use retort::migration::{Op, Operations, Revision};
use retort::MetaData;

/// The model of this run, built once in `main` and read by the revision's `upgrade`.
static MODEL: OnceLock<MetaData> = OnceLock::new();

const REVISION: Revision = Revision::new("b3e1c4a0d9f2").message("create the bench tables");

/// Records what autogenerate would write for an empty database: every table, index and
/// constraint of the model.
///
/// A table at a time (`diff` of a model holding that table alone; each schema's creation
/// once, before its first table), so that recording the revision holds its ops and one
/// table, as a revision read from its file does, rather than a second copy of the whole
/// model and the diff's working copies beside the model the command already holds: at
/// 10,000 tables those were more than half of `check`'s peak memory (it replays the
/// history). The generated tables refer only to tables before them, so the order is the
/// whole model's diff's (`records_what_the_whole_diff_writes` checks it).
fn upgrade(op: &mut Operations) {
    for op_ in table_by_table_ops().unwrap_or_else(whole_model_ops) {
        op.push(op_);
    }
}

fn table_by_table_ops() -> Option<Vec<Op>> {
    // The schemas' creation comes first, each once, as the whole diff writes it.
    let mut schemas: Vec<Op> = Vec::new();
    let mut ops = Vec::new();
    model::each_table_of_env(|t| {
        let mut one = MetaData::new();
        one.add_table(t);
        for op_ in diff(&MetaData::new(), &one, &DiffOptions::default()).ops {
            match op_ {
                Op::CreateSchema { .. } if schemas.contains(&op_) => {}
                Op::CreateSchema { .. } => schemas.push(op_),
                other => ops.push(other),
            }
        }
    })?;
    schemas.append(&mut ops);
    Some(schemas)
}

fn whole_model_ops() -> Vec<Op> {
    let model = MODEL.get_or_init(model::from_env);
    diff(&MetaData::new(), model, &DiffOptions::default()).ops
}

/// Drops every table, children first (each table references the one before it).
fn downgrade(op: &mut Operations) {
    let model = MODEL.get_or_init(model::from_env);
    for t in model.tables().iter().rev() {
        op.drop_table(t.name.clone());
    }
}

fn main() -> std::process::ExitCode {
    // RETORT_BENCH_NO_REVISION=1: no revision at all, so that `revision --autogenerate`
    // against an empty database writes the creation of the whole model (bench/scale.sh).
    let no_revision = std::env::var("RETORT_BENCH_NO_REVISION").as_deref() == Ok("1");
    // The revision's own copy of the model (`MODEL`) is built only when the revision is
    // recorded (`upgrade`, `downgrade`), never up front: a command that does not run it
    // (`check`, `current`, ...) holds the model once, so the peak RSS measured is the
    // tool's, not this binary's second copy of the whole model.
    let model = model::from_env();
    let script = Script {
        revision: REVISION,
        upgrade,
        downgrade,
        path: "bench/retort-bench/src/main.rs",
        // The revision's text is this file plus N; a fixed checksum is enough for a bench
        // that always starts from a fresh database.
        checksum: "bench",
    };
    let scripts = if no_revision {
        Vec::new()
    } else {
        vec![script]
    };
    retort::cli::main(retort::Environment::new(model, scripts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(op: &Op) -> String {
        match op {
            Op::CreateTable { table } => table.qualified_name(),
            other => format!("{other:?}"),
        }
    }

    /// The revision's ops recorded a table at a time are the whole model's diff's ops (the
    /// schemas' creation first, each once), each table after the one it refers to. With
    /// schemas the whole diff interleaves the schemas' chains (another order the foreign
    /// keys allow); without, the order is the same too.
    #[test]
    fn records_what_the_whole_diff_writes() {
        for (tables, schemas) in [("40", "0"), ("60", "3")] {
            std::env::set_var("RETORT_BENCH_TABLES", tables);
            std::env::set_var("RETORT_BENCH_SCHEMAS", schemas);
            let whole = diff(
                &MetaData::new(),
                &model::from_env(),
                &DiffOptions::default(),
            )
            .ops;
            let by_table = table_by_table_ops().expect("no entities asked for");
            assert!(whole.len() >= 40, "{} ops", whole.len());
            if schemas == "0" {
                assert_eq!(by_table, whole);
            }
            fn sorted(ops: &[Op]) -> Vec<(String, &Op)> {
                let mut v: Vec<(String, &Op)> = ops.iter().map(|o| (key(o), o)).collect();
                v.sort_by(|a, b| a.0.cmp(&b.0));
                v
            }
            assert_eq!(
                sorted(&by_table),
                sorted(&whole),
                "{tables} tables in {schemas} schemas"
            );
            let mut created = Vec::new();
            for op in &by_table {
                if let Op::CreateTable { table } = op {
                    for fk in &table.foreign_keys {
                        let target = match &fk.ref_schema {
                            Some(s) => format!("{s}.{}", fk.ref_table),
                            None => fk.ref_table.clone(),
                        };
                        assert!(created.contains(&target), "{} before {target}", key(op));
                    }
                    created.push(table.qualified_name());
                }
            }
        }
    }
}

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
use retort::migration::{Operations, Revision};
use retort::MetaData;

/// The model of this run, built once in `main` and read by the revision's `upgrade`.
static MODEL: OnceLock<MetaData> = OnceLock::new();

const REVISION: Revision = Revision::new("b3e1c4a0d9f2").message("create the bench tables");

/// Records what autogenerate would write for an empty database: every table, index and
/// constraint of the model.
fn upgrade(op: &mut Operations) {
    let model = MODEL.get_or_init(model::from_env);
    for op_ in diff(&MetaData::new(), model, &DiffOptions::default()).ops {
        op.push(op_);
    }
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
    // Without the revision nothing reads `MODEL`: the model is built once and not kept a
    // second time, so the peak RSS measured is the tool's, not this binary's copy of the
    // whole model.
    let model = if no_revision {
        model::from_env()
    } else {
        MODEL.get_or_init(model::from_env).clone()
    };
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

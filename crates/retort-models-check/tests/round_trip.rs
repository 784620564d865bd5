//! The `models --from-db` round trip on each sample (issue 18's "done when"): load it into a
//! fresh database, generate the models (the file under `src/generated/` must be what the
//! generator writes now), then with the compiled models autogenerate against an empty
//! database and run the ops, compare the two schemas, and `check` the models against the
//! original database.

use std::path::Path;
use std::process::{Command, Stdio};

use retort_core::MetaData;
use retort_dialect::Dialect;
use retort_evolution::Live;
use retort_migrate::models::{render_models, ModelsOptions};
use retort_testkit::{assert_file_current, block_on, BoxError, TestDb, TestDialect};

/// The statements of a fixture file (`--` comments dropped; statements end with `;` at a
/// line's end).
fn statements(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect();
    body.split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `source` as rustfmt lays it out (what `models --from-db` writes, and what `cargo fmt`
/// keeps the committed copy as).
fn rustfmt(source: &str) -> String {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rustfmt on the PATH (rustup component add rustfmt)");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), source.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "rustfmt refused the generated source:\n{source}"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A normalised SQLite dump in one spelling: lower case, and a column's `REFERENCES ..`
/// written as the table's `foreign key (column) references ..`; table items sorted again.
fn one_sqlite_spelling(dump: &str) -> String {
    let mut out = String::new();
    for line in dump.to_lowercase().lines() {
        match line
            .strip_prefix("    ")
            .and_then(|l| l.split_once(" references "))
        {
            Some((column, target)) if !column.starts_with("foreign key") => {
                let name = column.split(' ').next().unwrap_or_default();
                out += &format!("    {column},\n    foreign key ({name}) references {target}\n");
            }
            _ => out += &format!("{line}\n"),
        }
    }
    retort_evolution::sort_table_bodies(&out.replace("create table ", "CREATE TABLE "))
}

async fn round_trip(
    sample: &str,
    tag: &str,
    dialect: TestDialect,
    spelling: &dyn Dialect,
    model: MetaData,
) -> Result<(), BoxError> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join(format!("fixtures/{sample}/schema.{tag}.sql"));
    let original = TestDb::new(dialect, &format!("models_{sample}_orig")).await;
    let empty = TestDb::new(dialect, &format!("models_{sample}_new")).await;
    let outcome = async {
        original.execute_all(&statements(&fixture)).await?;
        // 1. The models, generated from the live database, are the compiled file.
        let read = Live::new(&original, &[]).reflect().await?;
        let source = render_models(
            &read,
            &ModelsOptions {
                dialect: spelling,
                source: &format!(
                    "the {sample} sample ({})",
                    fixture.strip_prefix(root)?.display()
                ),
            },
        );
        assert_file_current(
            &root.join(format!("src/generated/{sample}_{tag}.rs")),
            &rustfmt(&source),
            "-p retort-models-check",
        );
        // 2. Autogenerate against an empty database, upgrade.
        let fresh = Live::new(&empty, &[&model]);
        let (before, diff) = fresh.autogenerate(&model).await?;
        assert!(
            !diff.ops.is_empty(),
            "autogenerate wrote nothing for {sample}"
        );
        fresh.apply(&diff.ops, &before).await?;
        // 3. The two schemas are the same.
        let mut want = Live::new(&original, &[&model]).dump().await?;
        let mut got = fresh.dump().await?;
        if dialect == TestDialect::Sqlite {
            // SQLite keeps each `CREATE TABLE` as it was typed: the sample's hand-written
            // lower-case types and column-level `REFERENCES` against Retort's upper-case
            // types and table-level `FOREIGN KEY`. The same schema, spelled two ways: compared
            // in one spelling (docs/guide/commands.md, `models`).
            assert_ne!(
                got, want,
                "the spelling difference named here is gone: drop the rewrite"
            );
            want = one_sqlite_spelling(&want);
            got = one_sqlite_spelling(&got);
        }
        assert_eq!(
            got,
            want,
            "{sample} on {}: the schema the generated models build differs from the original",
            dialect.name()
        );
        // 4. `check` against the original: nothing to do.
        let (_, diff) = Live::new(&original, &[&model]).autogenerate(&model).await?;
        assert!(
            diff.ops.is_empty(),
            "{sample} on {}: check found differences against the original: {:#?}",
            dialect.name(),
            diff.log
        );
        Ok::<(), BoxError>(())
    }
    .await;
    retort_testkit::finish(empty, Ok(())).await;
    retort_testkit::finish(original, outcome).await;
    Ok(())
}

#[test]
fn chinook_postgres() {
    block_on(round_trip(
        "chinook",
        "postgres",
        TestDialect::Postgres,
        &retort_dialect::Postgres,
        retort_models_check::chinook_postgres::metadata(),
    ))
    .unwrap();
}

#[test]
fn chinook_sqlite() {
    block_on(round_trip(
        "chinook",
        "sqlite",
        TestDialect::Sqlite,
        &retort_dialect::Sqlite,
        retort_models_check::chinook_sqlite::metadata(),
    ))
    .unwrap();
}

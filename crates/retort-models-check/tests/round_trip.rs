//! The `models --from-db` round trip on each sample (issue 18's "done when"): load it into a
//! fresh database, generate the models (the file under `src/generated/` must be what the
//! generator writes now), then with the compiled models autogenerate against an empty
//! database and run the ops, compare the two schemas, and `check` the models against the
//! original database; and the models' ERD renders (SVG, Mermaid), the Mermaid parsed by
//! Mermaid's own parser.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use retort_core::MetaData;
use retort_dialect::Dialect;
use retort_evolution::Live;
use retort_migrate::erd::{render_erd, ErdFormat, ErdOptions};
use retort_migrate::models::{render_model_files, render_models, ModelsOptions};
use retort_testkit::{assert_file_current, block_on, BoxError, TestDb, TestDialect};

/// Where a sample's SQL is: `fixtures/<sample>/schema.<tag>.sql` here, or a schema dump of
/// `retort-evolution/real_world/<sample>/<tag>.sql` (origin, version and licence in its
/// README).
fn fixture(root: &Path, sample: &str, tag: &str) -> PathBuf {
    let own = root.join(format!("fixtures/{sample}/schema.{tag}.sql"));
    if own.exists() {
        return own;
    }
    root.join(format!("../retort-evolution/real_world/{sample}/{tag}.sql"))
}

/// Loads the sample: with psql on PostgreSQL (dumps use its meta-commands), in one batch
/// on SQLite and MariaDB/MySQL.
async fn load(db: &TestDb, path: &Path) -> Result<(), BoxError> {
    if db.dialect() == TestDialect::Postgres {
        let out = db.psql_file(path).await?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || stderr.contains("ERROR") {
            return Err(format!("loading {}: {stderr}", path.display()).into());
        }
        return Ok(());
    }
    let sql =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    db.execute(&sql).await?;
    Ok(())
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

/// A normalised SQLite dump in one spelling: lower case, identifiers unquoted (Retort quotes
/// the ones that are keywords, `"groups"`, `"action"`; SQLAlchemy left them bare), and a
/// column's `REFERENCES ..` written as the table's `foreign key (column) references ..`;
/// table items sorted again.
fn one_sqlite_spelling(dump: &str) -> String {
    let dump = unquote(dump);
    let mut out = String::new();
    for line in dump
        .to_lowercase()
        .replace("foreign key(", "foreign key (")
        .lines()
    {
        match line
            .strip_prefix("    ")
            .and_then(|l| l.split_once(" references "))
        {
            Some((column, target))
                if !column.starts_with("foreign key") && !column.starts_with("constraint ") =>
            {
                let name = column.split(' ').next().unwrap_or_default();
                out += &format!("    {column},\n    foreign key ({name}) references {target}\n");
            }
            _ => out += &format!("{line}\n"),
        }
    }
    retort_evolution::sort_table_bodies(&out.replace("create table ", "CREATE TABLE "))
}

/// A normalised MySQL dump with the name left off each `KEY` whose columns are exactly a
/// foreign key's of the same table (the index InnoDB makes for it); table items sorted again.
fn foreign_key_indexes_unnamed(dump: &str) -> String {
    let mut out = String::new();
    let mut table: Vec<&str> = Vec::new();
    let flush = |table: &mut Vec<&str>, out: &mut String| {
        let fk_columns: Vec<&str> = table
            .iter()
            .filter_map(|l| l.split_once(" FOREIGN KEY ("))
            .filter_map(|(_, rest)| rest.split_once(')').map(|(cols, _)| cols))
            .collect();
        for line in table.drain(..) {
            let unnamed = line
                .strip_prefix("    KEY `")
                .and_then(|rest| rest.split_once("` ("))
                .and_then(|(_, cols)| cols.strip_suffix("),"))
                .filter(|cols| fk_columns.contains(cols));
            match unnamed {
                Some(cols) => *out += &format!("    KEY ({cols}),\n"),
                None => *out += &format!("{line}\n"),
            }
        }
    };
    for line in dump.lines() {
        if line.starts_with("CREATE TABLE") {
            flush(&mut table, &mut out);
        }
        table.push(line);
    }
    flush(&mut table, &mut out);
    retort_evolution::sort_table_bodies(&out)
}

/// What the Pagila dump must keep once modelled: six tables inheriting from `payment`, and
/// the storage parameters of 15 keys and 28 indexes, so the round trip compares them. (Its
/// domain, aggregate and the six `INSTEAD` rules of `payment` are modelled too: nothing of
/// the dump is set aside.)
fn pagila_modelled(dump: &str) {
    assert_eq!(
        dump.matches(")\nINHERITS (public.payment);").count(),
        6,
        "six tables inherit from payment"
    );
    for (fillfactor, count) in [
        (" WITH (fillfactor='100')", 15),
        (" WITH (fillfactor='90')", 28),
    ] {
        assert_eq!(
            dump.matches(fillfactor).count(),
            count,
            "the keys and indexes{fillfactor} changed"
        );
    }
}

/// `"word"` as `word`, for identifiers made of letters, digits and `_` only.
fn unquote(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        out += &rest[..open];
        let after = &rest[open + 1..];
        match after.find('"') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out += &after[..close];
                rest = &after[close + 1..];
            }
            _ => {
                out.push('"');
                rest = after;
            }
        }
    }
    out + rest
}

/// The sample's ERD: SVG and Mermaid render, with every table; the Mermaid parses with
/// Mermaid's own parser (npm `mermaid`, installed by scripts/test.sh).
fn erd_renders(sample: &str, tag: &str, model: &MetaData, spelling: &dyn Dialect) {
    let options = ErdOptions::default();
    let svg = render_erd(model, spelling, ErdFormat::Svg, &options).expect("the SVG renders");
    let mermaid =
        render_erd(model, spelling, ErdFormat::Mermaid, &options).expect("the Mermaid renders");
    for t in model.tables() {
        // Each format's spelling of the name: XML text in the SVG (`"` as `&quot;`), a
        // Mermaid name without its double quotes (Mermaid has no escape for one).
        let in_svg = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
            .iter()
            .zip(['&', '<', '>', '"', '\''])
            .fold(t.name.clone(), |s, (escaped, c)| s.replace(c, escaped));
        assert!(
            svg.contains(&in_svg),
            "{sample}: the SVG lacks table {}",
            t.name
        );
        assert!(
            mermaid.contains(&t.name.replace('"', "")),
            "{sample}: the Mermaid lacks table {}",
            t.name
        );
    }
    let dir = std::env::var("RETORT_TEST_MERMAID_DIR").expect(
        "RETORT_TEST_MERMAID_DIR is not set: run the tests through scripts/test.sh, which installs Mermaid's parser (npm mermaid) and sets it",
    );
    let file = std::env::temp_dir().join(format!(
        "models-check-{sample}-{tag}-{}.mmd",
        std::process::id()
    ));
    std::fs::write(&file, &mermaid).expect("write the diagram");
    let out = Command::new("node")
        .arg(Path::new(&dir).join("mermaid-parse.mjs"))
        .arg(&file)
        .output()
        .expect("node runs (scripts/test.sh installs it)");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "{sample} ({tag}): Mermaid rejected the ERD: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "er");
}

async fn round_trip(
    sample: &str,
    tag: &str,
    dialect: TestDialect,
    spelling: &dyn Dialect,
    model: MetaData,
) -> Result<(), BoxError> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = fixture(root, sample, tag);
    let original = TestDb::new(dialect, &format!("models_{sample}_orig")).await;
    let empty = TestDb::new(dialect, &format!("models_{sample}_new")).await;
    let outcome = async {
        load(&original, &fixture).await?;
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
                // What the read does not carry is named by the test itself (the named
                // differences below), not in the checked-in files.
                not_carried: &[],
            },
        );
        assert_file_current(
            &root.join(format!("src/generated/{sample}_{tag}.rs")),
            &rustfmt(&source),
            "-p retort-models-check",
        );
        // The read leaves Alembic's version table out, as autogenerate does (a team moving
        // from Alembic keeps it), so the models do not have it: the one table of a sample
        // that is not compared.
        original
            .execute("DROP TABLE IF EXISTS alembic_version")
            .await?;
        // The module-folder form (`--dir`) of one sample is compiled too, and is the same
        // model.
        if (sample, tag) == ("chinook", "postgres") {
            let options = ModelsOptions {
                dialect: spelling,
                source: &format!("the {sample} sample ({tag})"),
                not_carried: &[],
            };
            for file in render_model_files(&read, &options) {
                assert_file_current(
                    &root.join(format!("src/generated/{sample}_{tag}_dir/{}", file.name)),
                    &rustfmt(&file.source),
                    "-p retort-models-check",
                );
            }
            assert_eq!(
                retort_models_check::chinook_postgres_dir::metadata().tables(),
                model.tables(),
                "the module folder's models differ from the one file's"
            );
        }
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
            // SQLite keeps each `CREATE TABLE` as it was typed: the sample's lower-case types,
            // column-level `REFERENCES` and bare keywords as names against Retort's upper-case
            // types, table-level `FOREIGN KEY` and quoted keywords. The same schema, spelled
            // two ways: compared in one spelling (docs/guide/commands.md, `models`).
            assert_ne!(
                got, want,
                "the spelling difference named here is gone: drop the rewrite"
            );
            want = one_sqlite_spelling(&want);
            got = one_sqlite_spelling(&got);
        }
        if dialect == TestDialect::Mysql {
            // InnoDB names the index it makes for a foreign key after the column when the key
            // has no name (the sample's), after the key when it has one (the models give every
            // key its database name); the read leaves those indexes out of the schema, as
            // InnoDB's own, so the models cannot name them. Compared without their names.
            assert_ne!(
                got, want,
                "the index-name difference named here is gone: drop the rewrite"
            );
            want = foreign_key_indexes_unnamed(&want);
            got = foreign_key_indexes_unnamed(&got);
        }
        if (sample, dialect) == ("pagila", TestDialect::Postgres) {
            pagila_modelled(&want);
            pagila_modelled(&got);
        }
        if got != want {
            let base = std::env::temp_dir().join(format!("models-check-{sample}-{tag}"));
            std::fs::write(base.with_extension("got"), &got)?;
            std::fs::write(base.with_extension("want"), &want)?;
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
        // 5. The ERD of the models renders, and its Mermaid parses.
        erd_renders(sample, tag, &model, spelling);
        Ok::<(), BoxError>(())
    }
    .await;
    retort_testkit::finish(empty, Ok(())).await;
    retort_testkit::finish(original, outcome).await;
    Ok(())
}

macro_rules! samples {
    ($($sample:ident: $pg:ident, $lite:ident);*) => {$(
        mod $sample {
            use super::*;

            #[test]
            fn postgres() {
                block_on(round_trip(
                    stringify!($sample),
                    "postgres",
                    TestDialect::Postgres,
                    &retort_dialect::Postgres,
                    retort_models_check::$pg::metadata(),
                ))
                .unwrap();
            }

            #[test]
            fn sqlite() {
                block_on(round_trip(
                    stringify!($sample),
                    "sqlite",
                    TestDialect::Sqlite,
                    &retort_dialect::Sqlite,
                    retort_models_check::$lite::metadata(),
                ))
                .unwrap();
            }
        }
    )*};
}

/// Chinook on MariaDB/MySQL too (the one sample written for it).
mod chinook_mysql {
    use super::*;

    #[test]
    fn mysql() {
        block_on(round_trip(
            "chinook",
            "mysql",
            TestDialect::Mysql,
            &retort_dialect::Mysql,
            retort_models_check::chinook_mysql::metadata(),
        ))
        .unwrap();
    }
}

/// Hostile names (`fixtures/hostile/`: quotes, spaces, mixed case, keywords, non-ASCII
/// letters, names that become the same Rust name) on each database.
mod hostile {
    use super::*;

    #[test]
    fn postgres() {
        block_on(round_trip(
            "hostile",
            "postgres",
            TestDialect::Postgres,
            &retort_dialect::Postgres,
            retort_models_check::hostile_postgres::metadata(),
        ))
        .unwrap();
    }

    #[test]
    fn sqlite() {
        block_on(round_trip(
            "hostile",
            "sqlite",
            TestDialect::Sqlite,
            &retort_dialect::Sqlite,
            retort_models_check::hostile_sqlite::metadata(),
        ))
        .unwrap();
    }

    #[test]
    fn mysql() {
        block_on(round_trip(
            "hostile",
            "mysql",
            TestDialect::Mysql,
            &retort_dialect::Mysql,
            retort_models_check::hostile_mysql::metadata(),
        ))
        .unwrap();
    }
}

/// DAViCal on PostgreSQL (its one database): views (one with rules), composite keys,
/// sequences, PL/pgSQL.
mod davical {
    use super::*;

    #[test]
    fn postgres() {
        block_on(round_trip(
            "davical",
            "postgres",
            TestDialect::Postgres,
            &retort_dialect::Postgres,
            retort_models_check::davical_postgres::metadata(),
        ))
        .unwrap();
    }
}

/// Pagila on PostgreSQL (its one database): an enum type, views, composite keys, a domain,
/// an aggregate, PL/pgSQL functions and triggers, rules, tables inheriting.
mod pagila {
    use super::*;

    #[test]
    fn postgres() {
        block_on(round_trip(
            "pagila",
            "postgres",
            TestDialect::Postgres,
            &retort_dialect::Postgres,
            retort_models_check::pagila_postgres::metadata(),
        ))
        .unwrap();
    }
}

samples!(
    chinook: chinook_postgres, chinook_sqlite;
    optuna: optuna_postgres, optuna_sqlite;
    jupyterhub: jupyterhub_postgres, jupyterhub_sqlite;
    mlflow: mlflow_postgres, mlflow_sqlite
);

//! Round trips on schemas that real applications build with their own migrations
//! (`real_world/`: Optuna, MLflow, JupyterHub; origin, version and licence in its README).
//!
//! Each runs on PostgreSQL and on SQLite, on a fresh database loaded from the dump:
//!
//! 1. the reflected schema as the model: autogenerate finds nothing;
//! 2. an empty model: autogenerate writes a revision dropping everything; its upgrade runs
//!    and leaves no table;
//! 3. its downgrade (`reverse_all` of the upgrade, rendered against the schema the upgrade
//!    replays into, as the runner does) runs, and the normalised schema dump equals the one
//!    taken after loading: what Retort drops, its downgrade re-creates;
//! 4. autogenerate with the reflected schema (read before the drop) as the model finds
//!    nothing on the rebuilt database.
//!
//! Triggers no revision created are not Retort's: autogenerate refuses to drop a table that has one, naming it
//! (`mlflow_empty_model_is_refused_naming_the_trigger`); kept in the model, the table and its trigger stay
//! and everything else goes and comes back (the trigger and its function left alone, with a warning each)
//! (`mlflow_keeping_the_table_with_a_trigger_recreates_the_rest`).

use std::path::{Path, PathBuf};

use retort_core::ops::{apply_all, reverse_all, Op};
use retort_core::MetaData;
use retort_evolution::{normalise_sqlite, Live};
use retort_testkit::{db_test, BoxError, TestDb, TestDialect};

fn fixture(app: &str, db: &TestDb) -> PathBuf {
    let file = match db.dialect() {
        TestDialect::Postgres => "postgres.sql",
        _ => "sqlite.sql",
    };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("real_world")
        .join(app)
        .join(file)
}

/// The application's schema, as its dump has it.
async fn load(app: &str, db: &TestDb) -> Result<(), BoxError> {
    let path = fixture(app, db);
    match db.dialect() {
        TestDialect::Postgres => {
            let out = db.psql_file(&path).await?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() || stderr.contains("ERROR") {
                return Err(format!("loading {}: {stderr}", path.display()).into());
            }
        }
        _ => {
            let sql = std::fs::read_to_string(&path)
                .map_err(|e| format!("reading {}: {e}", path.display()))?;
            db.execute(&sql).await?;
        }
    }
    Ok(())
}

fn described(ops: &[Op]) -> String {
    ops.iter()
        .map(Op::describe)
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// The application's tables, without `alembic_version`: autogenerate leaves Alembic's version
/// table alone (as it does Retort's own), so a team moving from Alembic keeps it.
async fn tables(db: &TestDb) -> Result<Vec<String>, BoxError> {
    let mut names = db
        .query_strings(match db.dialect() {
            TestDialect::Postgres => {
                "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            }
            _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
        })
        .await?;
    names.retain(|n| n != "alembic_version");
    Ok(names)
}

/// The schema as a normalised dump ([`Live::dump`]); on SQLite each stored `CREATE` text is
/// first read as SQLite reads it ([`sqlite_spelling`]).
async fn dump(live: &Live<'_>, db: &TestDb) -> Result<String, BoxError> {
    match db.dialect() {
        TestDialect::Postgres => live.dump().await,
        _ => {
            let statements = db.sqlite_schema().await?;
            let read: Vec<String> = statements.iter().map(|s| sqlite_spelling(s)).collect();
            Ok(normalise_sqlite(&read))
        }
    }
}

/// SQLite keeps a table's `CREATE` text as written, and the application's text
/// (SQLAlchemy's `FOREIGN KEY(a)`, `ON DELETE cascade`, `groups` unquoted) is spelled
/// otherwise than Retort's (`FOREIGN KEY (a)`, `"groups"`, a keyword since SQLite 3.28). The
/// statement as SQLite reads it: words outside quotes upper-cased (keywords and identifiers
/// are case-insensitive), identifiers unquoted where quotes change nothing, one space between
/// tokens but none around `(`, `)` and before `,`. String literals stay as they are.
fn sqlite_spelling(sql: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '\'' => {
                let mut s = String::from('\'');
                while let Some(n) = chars.next() {
                    s.push(n);
                    if n == '\'' {
                        if chars.peek() == Some(&'\'') {
                            s.push(chars.next().unwrap_or('\''));
                        } else {
                            break;
                        }
                    }
                }
                tokens.push(s);
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let name: String = chars.by_ref().take_while(|&n| n != close).collect();
                let plain = name.starts_with(|n: char| n.is_ascii_alphabetic() || n == '_')
                    && name.chars().all(|n| n.is_ascii_alphanumeric() || n == '_');
                tokens.push(if plain {
                    name.to_ascii_uppercase()
                } else {
                    format!("\"{name}\"")
                });
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut w = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '.' {
                        w.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(w.to_uppercase());
            }
            c => tokens.push(c.to_string()),
        }
    }
    let mut out = String::new();
    for t in &tokens {
        let glued = matches!(t.as_str(), "(" | ")" | ",") || out.ends_with('(');
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// Steps 1-4 of the module notes for one application; the tables in `keep` stay in the
/// model of step 2.
async fn round_trip(app: &str, db: &TestDb, keep: &[&str]) -> Result<(), BoxError> {
    load(app, db).await?;
    let live = Live::new(db, &[]);
    let before = dump(&live, db).await?;
    let loaded = tables(db).await?;
    if loaded.len() < 10 {
        return Err(format!("{app}: only {} tables loaded: {loaded:?}", loaded.len()).into());
    }

    // 1. The reflected schema as the model: nothing to do.
    let reflected = live.reflect().await?;
    let (_, same) = live.autogenerate(&reflected).await?;
    if !same.ops.is_empty() {
        return Err(format!(
            "{app}: autogenerate with the reflected schema as the model found changes:\n  {}",
            described(&same.ops)
        )
        .into());
    }

    // 2. An empty model (but for `keep`) drops everything.
    let mut model = MetaData::new();
    for name in keep {
        let t = reflected
            .get_table(None, name)
            .ok_or_else(|| format!("{app}: no table {name} to keep"))?;
        model = model.table(t.clone());
    }
    let (schema, drop_all) = live.autogenerate(&model).await?;
    // Entities no revision created (MLflow's trigger and its function) are left alone, and
    // said so (`docs/entities.md`); nothing else may warn.
    let warned: Vec<&String> = drop_all
        .warnings
        .iter()
        .filter(|w| {
            !w.contains("is in the database but not in the model, and no revision created it")
        })
        .collect();
    if !warned.is_empty() {
        return Err(format!("{app}: autogenerate warned: {warned:?}").into());
    }
    let downgrade = reverse_all(&drop_all.ops)?;
    live.apply(&drop_all.ops, &schema)
        .await
        .map_err(|e| format!("{app}: upgrade (drop everything): {e}"))?;
    let left = tables(db).await?;
    if left != keep {
        return Err(format!("{app}: the upgrade left tables {left:?}, not {keep:?}").into());
    }

    // 3. The downgrade re-creates it exactly.
    let mut replayed = schema.clone();
    apply_all(&drop_all.ops, &mut replayed)?;
    live.apply(&downgrade, &replayed)
        .await
        .map_err(|e| format!("{app}: downgrade: {e}"))?;
    let after = dump(&live, db).await?;
    if after != before {
        return Err(format!(
            "{app}: the downgraded schema differs from the loaded one:\n{}",
            retort_testkit::unified_diff("loaded", &before, "downgraded", &after)
        )
        .into());
    }

    // 4. The schema reflected before the drop compares clean with the rebuilt database.
    let (_, again) = live.autogenerate(&reflected).await?;
    if !again.ops.is_empty() {
        return Err(format!(
            "{app}: a second autogenerate on the rebuilt database found changes:\n  {}",
            described(&again.ops)
        )
        .into());
    }
    Ok(())
}

db_test!(optuna_drops_and_recreates_exactly, |db| {
    round_trip("optuna", &db, &[]).await
});

db_test!(jupyterhub_drops_and_recreates_exactly, |db| {
    round_trip("jupyterhub", &db, &[]).await
});

// MLflow's `secrets` has a trigger (`prevent_secrets_aad_mutation`), which Retort does not
// model: an empty model is refused, naming it; a model keeping `secrets` drops and
// re-creates the other 70 tables exactly, and the trigger is still there.
db_test!(mlflow_empty_model_is_refused_naming_the_trigger, |db| {
    load("mlflow", &db).await?;
    let live = Live::new(&db, &[]);
    let refused = live
        .autogenerate(&MetaData::new())
        .await
        .err()
        .ok_or("an empty model dropping `secrets` and its trigger was not refused")?
        .to_string();
    for needle in [
        "table secrets",
        "trigger prevent_secrets_aad_mutation",
        "exclude_tables",
    ] {
        if !refused.contains(needle) {
            return Err(format!("the refusal does not name {needle}: {refused}").into());
        }
    }
    Ok(())
});

db_test!(
    mlflow_keeping_the_table_with_a_trigger_recreates_the_rest,
    |db| {
        round_trip("mlflow", &db, &["secrets"]).await?;
        let triggers = db
            .query_strings(match db.dialect() {
                TestDialect::Postgres => {
                    "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal"
                }
                _ => "SELECT name FROM sqlite_master WHERE type = 'trigger'",
            })
            .await?;
        if triggers != ["prevent_secrets_aad_mutation"] {
            return Err(format!("triggers after the round trip: {triggers:?}").into());
        }
        Ok(())
    }
);

//! The data-loss guard on PostgreSQL, SQLite and MariaDB: an unmarked drop of a table
//! holding rows or of a column holding values is refused before anything of its revision
//! runs, naming the object, its count, the file and line; `.data_loss_ok()` on the op or
//! `DataLossGuard::Warn` (the CLI's `--allow-data-loss`) lets it run; an empty table or
//! column is dropped without a word; `[lint] data_loss` is read per environment.

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::{Column, Type};
use retort_migrate::driver::Driver;
use retort_migrate::{DataLossGuard, MigrateError, Migrator, Script};
use retort_testkit::db_test;

use crate::fixtures::{driver, tables, versions};

const G1: &str = "guard1";
const G2: &str = "guard2";

fn up1(op: &mut Operations) {
    op.create_table("items", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("note", Type::Varchar(Some(40)));
        t.primary_key(["id"]);
    });
    op.create_table("empty_t", |t| {
        t.column("id", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
}
/// As autogenerate derives it: the drops are not marked.
fn down1(op: &mut Operations) {
    op.drop_table("empty_t");
    op.drop_table("items");
}
fn up2(op: &mut Operations) {
    op.drop_column("items", "note");
}
fn up2_marked(op: &mut Operations) {
    op.drop_column("items", "note").data_loss_ok();
}
fn down2(op: &mut Operations) {
    op.add_column("items", Column::new("note", Type::Varchar(Some(40))));
}

/// The text of the second revision's file, for the line in the refusal (line 6).
const G2_SOURCE: &str = "//! Drop the note\nuse retort::migration::*;\npub const REVISION: Revision = Revision::new(\"guard2\");\n\npub fn upgrade(op: &mut Operations) {\n    op.drop_column(\"items\", \"note\");\n}\n\npub fn downgrade(op: &mut Operations) {\n    op.add_column(\"items\", Column::new(\"note\", Type::Varchar(Some(40))));\n}\n";

fn history(marked: bool) -> Vec<Script> {
    vec![
        Script {
            revision: Revision::new(G1).message("items"),
            upgrade: up1,
            downgrade: down1,
            path: "versions/guard1_items.rs",
            checksum: "1111111111111111111111111111111111111111111111111111111111111111",
        },
        Script {
            revision: Revision::new(G2).message("drop note").down_revision(G1),
            upgrade: if marked { up2_marked } else { up2 },
            downgrade: down2,
            path: "versions/guard2_drop_note.rs",
            checksum: "2222222222222222222222222222222222222222222222222222222222222222",
        },
    ]
}

/// A folder holding the second revision's file, as a migrations crate does.
fn script_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("versions")).expect("versions/");
    std::fs::write(dir.path().join("versions/guard2_drop_note.rs"), G2_SOURCE).expect("writes");
    dir
}

async fn fill(db: &retort_testkit::TestDb) -> Result<(), retort_testkit::BoxError> {
    db.execute("INSERT INTO items (id, note) VALUES (1, 'a'), (2, NULL), (3, 'c')")
        .await?;
    Ok(())
}

async fn has_note(db: &retort_testkit::TestDb) -> bool {
    db.execute("UPDATE items SET note = note").await.is_ok()
}

db_test!(
    a_column_holding_values_is_refused_with_its_count,
    [postgres, sqlite, mysql],
    |db| {
        let dir = script_dir();
        let migrator = Migrator::new(history(false))?.with_script_dirs(vec![dir.path().into()]);
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, G1).await?;
        fill(&db).await?;
        let err = migrator
            .upgrade(&mut d, "head")
            .await
            .expect_err("the guard refuses");
        let MigrateError::DataLoss {
            revision, losses, ..
        } = &err
        else {
            panic!("not a data-loss refusal: {err}");
        };
        assert_eq!(revision, G2);
        assert_eq!(losses.len(), 1, "{losses:?}");
        assert_eq!(losses[0].kind, "column");
        assert_eq!(losses[0].object, "items.note");
        assert_eq!(losses[0].rows, 2);
        assert_eq!(losses[0].line, Some(6));
        let text = err.to_string();
        for part in [
            "upgrade of revision guard2 (versions/guard2_drop_note.rs) would lose data; nothing of this revision ran",
            "column items.note holds 2 non-NULL values (versions/guard2_drop_note.rs:6)",
            r#"op.drop_column("items", "note").data_loss_ok();"#,
            "--allow-data-loss",
        ] {
            assert!(text.contains(part), "{part:?} not in:\n{text}");
        }
        // Nothing of the revision ran.
        assert_eq!(versions(&db).await, vec![G1]);
        assert!(has_note(&db).await, "the column is still there");

        // Allowed by the run (the CLI's --allow-data-loss): it runs, and says what it lost.
        let report = migrator
            .with_data_loss_guard(DataLossGuard::Warn)
            .upgrade(&mut d, "head")
            .await?;
        assert_eq!(report.steps.len(), 1);
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains("dropped column items.note holding 2 non-NULL values")),
            "{:?}",
            report.warnings
        );
        assert_eq!(versions(&db).await, vec![G2]);
        assert!(!has_note(&db).await, "the column is gone");
        d.close().await?;
        Ok(())
    }
);

db_test!(
    a_drop_marked_data_loss_ok_runs,
    [postgres, sqlite, mysql],
    |db| {
        let migrator = Migrator::new(history(true))?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, G1).await?;
        fill(&db).await?;
        let report = migrator.upgrade(&mut d, "head").await?;
        assert_eq!(report.steps.len(), 1);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(versions(&db).await, vec![G2]);
        assert!(!has_note(&db).await);
        d.close().await?;
        Ok(())
    }
);

db_test!(
    downgrade_to_base_refuses_populated_tables_only,
    [postgres, sqlite, mysql],
    |db| {
        let migrator = Migrator::new(history(false))?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, G1).await?;
        fill(&db).await?;
        let err = migrator
            .downgrade(&mut d, "base")
            .await
            .expect_err("the guard refuses");
        let MigrateError::DataLoss { losses, .. } = &err else {
            panic!("not a data-loss refusal: {err}");
        };
        // The empty table is not named; the populated one is, schema-qualified where the
        // database has a default schema.
        assert_eq!(losses.len(), 1, "{losses:?}");
        assert_eq!(losses[0].kind, "table");
        assert_eq!(losses[0].rows, 3);
        let expected = match db.dialect() {
            retort_testkit::TestDialect::Postgres => "public.items".to_owned(),
            retort_testkit::TestDialect::Sqlite => "items".to_owned(),
            _ => {
                let name = db.query_strings("SELECT DATABASE()").await?;
                format!("{}.items", name[0])
            }
        };
        assert_eq!(losses[0].object, expected);
        // No file to read: no line, the file is still named.
        assert!(
            err.to_string().contains(&format!(
                "table {expected} holds 3 rows (versions/guard1_items.rs)"
            )),
            "{err}"
        );
        assert_eq!(versions(&db).await, vec![G1]);
        assert!(tables(&db).await.contains(&"empty_t".to_owned()));

        // Emptied, both go without a word.
        db.execute("DELETE FROM items").await?;
        let report = migrator.downgrade(&mut d, "base").await?;
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(versions(&db).await, Vec::<String>::new());
        assert_eq!(tables(&db).await, vec!["retort_log", "retort_version"]);
        d.close().await?;
        Ok(())
    }
);

db_test!(
    the_guard_turned_off_counts_nothing,
    [postgres, sqlite, mysql],
    |db| {
        let migrator = Migrator::new(history(false))?.with_data_loss_guard(DataLossGuard::Off);
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, G1).await?;
        fill(&db).await?;
        let report = migrator.upgrade(&mut d, "head").await?;
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let report = migrator.downgrade(&mut d, "base").await?;
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(tables(&db).await, vec!["retort_log", "retort_version"]);
        d.close().await?;
        Ok(())
    }
);

// In all-in-one mode (the refusal comes inside the run's one transaction) nothing changes either.
db_test!(a_refusal_in_all_in_one_mode_changes_nothing, |db| {
    let migrator =
        Migrator::new(history(false))?.with_transaction_mode(retort_migrate::TransactionMode::All);
    let mut d = driver(&db).await;
    migrator.upgrade(&mut d, G1).await?;
    fill(&db).await?;
    migrator
        .downgrade(&mut d, "base")
        .await
        .expect_err("refused");
    assert_eq!(versions(&db).await, vec![G1]);
    d.close().await?;
    Ok(())
});

#[test]
fn data_loss_is_configured_per_environment() {
    let text = "[lint]\nfail_on = \"warning\"\n\n[env.dev.lint]\ndata_loss = \"warn\"\n\n[env.scratch.lint]\ndata_loss = \"off\"\n\n[env.prod]\nurl = \"postgres://x@h/db\"\n";
    let config = retort_migrate::Config::parse(text, "/x/retort.toml").expect("parses");
    let vars = |_: &str| None;
    let level = |env: Option<&str>| config.settings(env, &vars).expect("settings").lint;
    assert_eq!(level(None).data_loss, DataLossGuard::Refuse);
    assert_eq!(level(Some("prod")).data_loss, DataLossGuard::Refuse);
    assert_eq!(level(Some("dev")).data_loss, DataLossGuard::Warn);
    // The rest of [lint] still comes from the top level.
    assert_eq!(
        level(Some("dev")).fail_on,
        retort_migrate::lint::Severity::Warning
    );
    assert_eq!(level(Some("scratch")).data_loss, DataLossGuard::Off);

    let bad = retort_migrate::Config::parse("[lint]\ndata_loss = \"maybe\"\n", "/x/retort.toml")
        .expect("parses");
    let e = bad
        .settings(None, &vars)
        .expect_err("bad choice")
        .to_string();
    assert!(
        e.contains("lint.data_loss") && e.contains("write refuse, warn or off"),
        "{e}"
    );
}

/// Offline there is nothing to count: the script is written, with a comment on each unmarked
/// drop (its file and line), and none on a marked one.
#[test]
fn offline_sql_says_which_drops_are_unmarked() {
    let dir = script_dir();
    let migrator = Migrator::new(history(false))
        .expect("graph")
        .with_script_dirs(vec![dir.path().into()]);
    let sql = migrator
        .offline_upgrade(retort_migrate::Backend::Postgres, "guard1:guard2")
        .expect("renders");
    assert!(
        sql.contains("-- data-loss guard: drops column items.note (versions/guard2_drop_note.rs:6), not marked .data_loss_ok(); rows not counted offline"),
        "{sql}"
    );
    let sql = migrator
        .offline_downgrade(retort_migrate::Backend::Postgres, "guard1:base")
        .expect("renders");
    assert!(
        sql.contains("-- data-loss guard: drops table items (versions/guard1_items.rs)"),
        "{sql}"
    );
    let marked = Migrator::new(history(true)).expect("graph");
    let sql = marked
        .offline_upgrade(retort_migrate::Backend::Postgres, "guard1:guard2")
        .expect("renders");
    assert!(!sql.contains("data-loss guard"), "{sql}");
}

// An application bringing its database to head with `migrate()` meets the same guard.
db_test!(
    migrate_from_an_application_is_guarded_too,
    [postgres, sqlite, mysql],
    |db| {
        let mut d = driver(&db).await;
        Migrator::new(history(false))?.upgrade(&mut d, G1).await?;
        d.close().await?;
        fill(&db).await?;
        let result = match db.dialect() {
            retort_testkit::TestDialect::Postgres => {
                retort_migrate::migrate(db.pg_pool(), history(false), "head").await
            }
            retort_testkit::TestDialect::Sqlite => {
                retort_migrate::migrate(db.sqlite_pool(), history(false), "head").await
            }
            _ => retort_migrate::migrate(db.mysql_pool(), history(false), "head").await,
        };
        let err = result.expect_err("the guard refuses");
        assert!(
            matches!(&err, MigrateError::DataLoss { losses, .. } if losses[0].object == "items.note" && losses[0].rows == 2),
            "{err}"
        );
        assert_eq!(versions(&db).await, vec![G1]);
        let report = match db.dialect() {
            retort_testkit::TestDialect::Postgres => {
                retort_migrate::migrate(db.pg_pool(), history(true), "head").await?
            }
            retort_testkit::TestDialect::Sqlite => {
                retort_migrate::migrate(db.sqlite_pool(), history(true), "head").await?
            }
            _ => retort_migrate::migrate(db.mysql_pool(), history(true), "head").await?,
        };
        assert_eq!(report.steps.len(), 1);
        assert_eq!(versions(&db).await, vec![G2]);
        Ok(())
    }
);

/// The lint does not report a drop the revision marks `.data_loss_ok()` (the reviewer's
/// decision), and still reports an unmarked one.
#[test]
fn the_lint_leaves_marked_drops_alone() {
    use retort_migrate::lint::{self, LintSettings, RevisionOps, Rule};
    let migrator = Migrator::new(history(true)).expect("graph");
    let start = migrator.schema_at(&[G1]);
    let findings = |marked: bool| {
        let mut op = Operations::new();
        if marked {
            op.drop_column("items", "note").data_loss_ok();
            op.drop_table("items").data_loss_ok();
        } else {
            op.drop_column("items", "note");
            op.drop_table("items");
        }
        let steps = [RevisionOps {
            revision: G2.into(),
            path: "versions/guard2_drop_note.rs".into(),
            direction: retort_core::graph::Direction::Upgrade,
            ops: op.into_ops(),
            source: None,
        }];
        let report = retort_testkit::block_on(lint::lint::<retort_migrate::AnyDriver>(
            &steps,
            start.clone(),
            retort_migrate::Backend::Postgres,
            &LintSettings::default(),
            None,
        ));
        report
            .findings
            .iter()
            .map(|f| f.rule)
            .filter(|r| matches!(r, Rule::DropColumn | Rule::DropTable))
            .collect::<Vec<_>>()
    };
    assert_eq!(findings(false), vec![Rule::DropColumn, Rule::DropTable]);
    assert_eq!(findings(true), Vec::<Rule>::new());
}

//! SQLite table rebuilds on real files through the runner: nothing the revision history
//! does not know (a column or index added by raw SQL, a trigger, a view over the table)
//! vanishes, what cannot be carried over is refused by name, and references that were
//! already broken are not blamed on the rebuild.

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::Type;
use retort_migrate::driver::Driver;
use retort_migrate::{MigrateError, Migrator, Script};
use retort_testkit::db_test;

use crate::fixtures::{driver, versions};

const R1: &str = "e1e1e1";
const R2: &str = "e2e2e2";
const R3: &str = "e3e3e3";
const R4: &str = "e4e4e4";

/// A linear history of `steps` (upgrade bodies), each revision with an empty downgrade.
fn linear(steps: &[fn(&mut Operations)]) -> Vec<Script> {
    fn nothing(_: &mut Operations) {}
    let ids = [R1, R2, R3, R4];
    steps
        .iter()
        .enumerate()
        .map(|(i, up)| {
            let mut revision = Revision::new(ids[i]);
            if i > 0 {
                revision = revision.down_revision(ids[i - 1]);
            }
            Script {
                revision,
                upgrade: *up,
                downgrade: nothing,
                path: [
                    "versions/e1.rs",
                    "versions/e2.rs",
                    "versions/e3.rs",
                    "versions/e4.rs",
                ][i],
                checksum: "5555555555555555555555555555555555555555555555555555555555555555",
            }
        })
        .collect()
}

/// `target (id INTEGER PRIMARY KEY, qty INTEGER, note TEXT)`, as the history knows it.
fn create_target(op: &mut Operations) {
    op.create_table("target", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("qty", Type::Integer);
        t.column("note", Type::Text);
        t.primary_key(["id"]);
    });
    op.execute("INSERT INTO target (id, qty, note) VALUES (1, 5, 'a'), (2, 7, 'b')");
}

/// The rebuild: `target.qty` INTEGER -> BIGINT.
fn widen_qty(op: &mut Operations) {
    op.alter_column("target", "qty")
        .type_(Type::BigInt)
        .existing_type(Type::Integer);
}

async fn upgrade_head(
    db: &retort_testkit::TestDb,
    scripts: Vec<Script>,
) -> Result<(), MigrateError> {
    let migrator = Migrator::new(scripts)?;
    let mut d = driver(db).await;
    let result = migrator.upgrade(&mut d, "head").await.map(|_| ());
    d.close().await.expect("closes");
    result
}

async fn declared_type(db: &retort_testkit::TestDb, table: &str, column: &str) -> Vec<String> {
    db.query_strings(&format!(
        "SELECT type FROM pragma_table_info('{table}') WHERE name = '{column}'"
    ))
    .await
    .expect("reads the column")
}

fn add_legacy_column(op: &mut Operations) {
    op.execute("ALTER TABLE target ADD COLUMN legacy TEXT");
    op.execute("UPDATE target SET legacy = 'keep ' || id");
}

db_test!(
    a_raw_sql_column_and_its_rows_survive_a_rebuild,
    [sqlite],
    |db| {
        upgrade_head(&db, linear(&[create_target, add_legacy_column, widen_qty])).await?;
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
        assert_eq!(
            db.query_strings("SELECT legacy FROM target ORDER BY id")
                .await?,
            vec!["keep 1", "keep 2"]
        );
        assert_eq!(versions(&db).await, vec![R3]);
        Ok(())
    }
);

fn add_raw_index(op: &mut Operations) {
    op.execute("CREATE INDEX ix_target_note ON target (note DESC) WHERE qty > 0");
}

db_test!(a_raw_sql_index_survives_a_rebuild, [sqlite], |db| {
    upgrade_head(&db, linear(&[create_target, add_raw_index, widen_qty])).await?;
    assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
    assert_eq!(
        db.query_strings("SELECT sql FROM sqlite_schema WHERE name = 'ix_target_note'")
            .await?,
        vec!["CREATE INDEX ix_target_note ON target (note DESC) WHERE qty > 0"]
    );
    Ok(())
});

fn add_trigger(op: &mut Operations) {
    op.execute("CREATE TABLE audit (msg TEXT)");
    op.execute(
        "CREATE TRIGGER target_audit AFTER INSERT ON target \
         BEGIN INSERT INTO audit (msg) VALUES ('inserted ' || new.id); END",
    );
}

db_test!(
    a_trigger_survives_a_rebuild_and_still_fires,
    [sqlite],
    |db| {
        upgrade_head(&db, linear(&[create_target, add_trigger, widen_qty])).await?;
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
        assert_eq!(
            db.query_strings("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
                .await?,
            vec!["target_audit"]
        );
        db.execute("INSERT INTO target (id, qty) VALUES (3, 1)")
            .await?;
        assert_eq!(
            db.query_strings("SELECT msg FROM audit").await?,
            vec!["inserted 3"]
        );
        Ok(())
    }
);

fn add_views(op: &mut Operations) {
    op.execute("CREATE VIEW big AS SELECT id, qty FROM target WHERE qty > 6");
    // A view over the view, and a trigger of another table that writes to the table.
    op.execute("CREATE VIEW big_ids AS SELECT id FROM big");
    op.execute("CREATE TABLE inbox (qty INTEGER)");
    op.execute(
        "CREATE TRIGGER inbox_to_target AFTER INSERT ON inbox \
         BEGIN INSERT INTO target (qty) VALUES (new.qty); END",
    );
}

db_test!(
    views_over_a_rebuilt_table_survive_and_answer,
    [sqlite],
    |db| {
        upgrade_head(&db, linear(&[create_target, add_views, widen_qty])).await?;
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
        assert_eq!(
            db.query_strings("SELECT CAST(id AS TEXT) FROM big_ids")
                .await?,
            vec!["2"]
        );
        db.execute("INSERT INTO inbox (qty) VALUES (40)").await?;
        assert_eq!(
            db.query_strings("SELECT CAST(qty AS TEXT) FROM big ORDER BY id")
                .await?,
            vec!["7", "40"]
        );
        Ok(())
    }
);

fn add_trigger_on_qty(op: &mut Operations) {
    op.execute("CREATE TABLE audit (msg TEXT)");
    op.execute(
        "CREATE TRIGGER qty_audit AFTER UPDATE OF qty ON target \
         BEGIN INSERT INTO audit (msg) VALUES ('qty'); END",
    );
}
fn rename_and_widen_qty(op: &mut Operations) {
    op.alter_column("target", "qty")
        .new_column_name("amount")
        .type_(Type::BigInt)
        .existing_type(Type::Integer);
}

db_test!(
    a_trigger_that_cannot_be_carried_over_is_refused_by_name,
    [sqlite],
    |db| {
        let err = upgrade_head(
            &db,
            linear(&[create_target, add_trigger_on_qty, rename_and_widen_qty]),
        )
        .await
        .expect_err("the rebuild would lose the trigger");
        let msg = err.to_string();
        assert!(
            msg.contains("trigger `qty_audit`") && msg.contains("column `qty`"),
            "{msg}"
        );
        // Nothing of the refused revision ran: the trigger and the column are still there.
        assert_eq!(versions(&db).await, vec![R2]);
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["INTEGER"]);
        assert_eq!(
            db.query_strings("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
                .await?,
            vec!["qty_audit"]
        );
        Ok(())
    }
);

fn create_parent_child(op: &mut Operations) {
    op.create_table("parent", |t| {
        t.column("id", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
    op.create_table("child", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("parent_id", Type::Integer);
        t.column("other_id", Type::Integer);
        t.column("note", Type::Integer);
        t.primary_key(["id"]);
        t.foreign_key(["parent_id"], "parent", ["id"]);
    });
}
fn widen_child_note(op: &mut Operations) {
    op.alter_column("child", "note")
        .type_(Type::BigInt)
        .existing_type(Type::Integer);
}
fn key_other_id(op: &mut Operations) {
    op.create_foreign_key("fk_child_other", "child", "parent", ["other_id"], ["id"]);
}

db_test!(
    an_orphan_row_from_before_does_not_fail_a_rebuild_but_a_new_one_does,
    [sqlite],
    |db| {
        upgrade_head(&db, linear(&[create_parent_child])).await?;
        // Row 2 refers to a parent that never existed: broken before any rebuild.
        db.execute(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO parent (id) VALUES (1); \
             INSERT INTO child (id, parent_id, other_id) VALUES (1, 1, 1), (2, 99, 1), (3, 1, 42); \
             PRAGMA foreign_keys = ON",
        )
        .await?;
        let scripts = || linear(&[create_parent_child, widen_child_note, key_other_id]);
        let err = upgrade_head(&db, scripts())
            .await
            .expect_err("row 3's other_id breaks the new key");
        // The rebuild of R2 went through despite the orphan; R3 broke row 3, named as such.
        assert_eq!(versions(&db).await, vec![R2]);
        assert_eq!(declared_type(&db, "child", "note").await, vec!["BIGINT"]);
        let msg = err.to_string();
        assert!(matches!(err, MigrateError::ForeignKeyCheck { .. }), "{msg}");
        assert!(
            msg.contains("child rowid 3 refers to a missing row of parent"),
            "{msg}"
        );
        assert!(
            !msg.contains("rowid 2"),
            "the old orphan is not the revision's: {msg}"
        );
        assert_eq!(
            db.query_strings("SELECT CAST(id AS TEXT) FROM child ORDER BY id")
                .await?,
            vec!["1", "2", "3"]
        );
        Ok(())
    }
);

db_test!(
    the_sqlite_busy_wait_follows_the_lock_timeout,
    [sqlite],
    |db| {
        let migrator = Migrator::new(linear(&[create_target]))?.with_timeouts(
            retort_migrate::Timeouts::default().with_lock_wait(std::time::Duration::from_secs(42)),
        );
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        let rows = d
            .query_text("SELECT CAST(timeout AS TEXT) FROM pragma_busy_timeout")
            .await?;
        d.close().await?;
        assert_eq!(rows, vec![vec![Some("42000".to_owned())]]);
        Ok(())
    }
);

db_test!(
    offline_sql_refuses_a_rebuild_unless_told_to_assume_the_history_shape,
    [sqlite],
    |db| {
        let scripts = || linear(&[create_target, widen_qty]);
        let err = Migrator::new(scripts())?
            .offline_upgrade(retort_migrate::Backend::Sqlite, "head")
            .expect_err("no live table to read");
        assert!(
            matches!(&err, MigrateError::OfflineRebuild { tables, .. } if tables == &["target"]),
            "{err}"
        );
        assert!(err.to_string().contains("--assume-history-shape"), "{err}");

        let script = Migrator::new(scripts())?
            .with_assumed_history_shape(true)
            .offline_upgrade(retort_migrate::Backend::Sqlite, "head")?;
        assert!(
            script.contains("-- No database was read: table target is rebuilt as the revision history builds it"),
            "{script}"
        );
        // The script runs as a client would run it (sqlx, foreign keys on).
        db.execute(&script).await?;
        assert_eq!(versions(&db).await, vec![R2]);
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
        assert_eq!(
            db.query_strings("SELECT note FROM target ORDER BY id")
                .await?,
            vec!["a", "b"]
        );
        Ok(())
    }
);

/// Revision 3 declares `target` as the database has it (with the raw column) before
/// rebuilding it, so offline SQL can rebuild it without losing `legacy`.
fn declare_and_widen_qty(op: &mut Operations) {
    op.copy_from(retort_core::Table::build("target", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("qty", Type::Integer);
        t.column("note", Type::Text);
        t.column("legacy", Type::Text);
        t.primary_key(["id"]);
    }));
    widen_qty(op);
}

db_test!(
    offline_sql_rebuilds_from_the_table_copy_from_declares,
    [sqlite],
    |db| {
        let scripts = || linear(&[create_target, add_legacy_column, declare_and_widen_qty]);
        let script =
            Migrator::new(scripts())?.offline_upgrade(retort_migrate::Backend::Sqlite, "head")?;
        assert!(
        script.contains("-- No database was read: table target is rebuilt from the definition op.copy_from(..) gives"),
        "{script}"
    );
        db.execute(&script).await?;
        assert_eq!(versions(&db).await, vec![R3]);
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
        assert_eq!(
            db.query_strings("SELECT legacy FROM target ORDER BY id")
                .await?,
            vec!["keep 1", "keep 2"]
        );
        // Online, the same revisions read the live table (and agree).
        let online = retort_testkit::TestDb::sqlite("offline_copy_from_online").await;
        upgrade_head(&online, scripts()).await?;
        assert_eq!(
            online
                .query_strings("SELECT legacy FROM target ORDER BY id")
                .await?,
            vec!["keep 1", "keep 2"]
        );
        online.close().await?;
        Ok(())
    }
);

fn add_raw_columns_of_every_kind(op: &mut Operations) {
    op.execute("ALTER TABLE target ADD COLUMN untyped");
    op.execute("ALTER TABLE target ADD COLUMN stamp TEXT DEFAULT 'never'");
    op.execute(
        "ALTER TABLE target ADD COLUMN flag INTEGER NOT NULL DEFAULT 0 CHECK (flag IN (0, 1))",
    );
    op.execute("ALTER TABLE target ADD COLUMN parent_id INTEGER REFERENCES target (id)");
    op.execute("UPDATE target SET untyped = x'00ff', flag = 1, parent_id = 1, stamp = 'then'");
}

db_test!(
    raw_columns_keep_their_defaults_checks_and_keys_through_a_rebuild,
    [sqlite],
    |db| {
        upgrade_head(
            &db,
            linear(&[create_target, add_raw_columns_of_every_kind, widen_qty]),
        )
        .await?;
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
        assert_eq!(
            db.query_strings(
                "SELECT hex(untyped) || ' ' || stamp || ' ' || flag || ' ' || parent_id \
             FROM target ORDER BY id"
            )
            .await?,
            vec!["00FF then 1 1", "00FF then 1 1"]
        );
        // The default, the check and the key still act.
        db.execute("INSERT INTO target (id) VALUES (3)").await?;
        assert_eq!(
            db.query_strings(
                "SELECT CAST(flag AS TEXT) FROM target WHERE id = 3 AND stamp = 'never'"
            )
            .await?,
            vec!["0"]
        );
        assert!(db
            .execute("UPDATE target SET flag = 7 WHERE id = 3")
            .await
            .is_err());
        assert_eq!(
            db.query_strings(
                "SELECT \"table\" || '.' || \"from\" FROM pragma_foreign_key_list('target')"
            )
            .await?,
            vec!["target.parent_id"]
        );
        Ok(())
    }
);

fn add_collated_column(op: &mut Operations) {
    op.execute("ALTER TABLE target ADD COLUMN name TEXT COLLATE NOCASE");
}

fn add_conflict_clause_column(op: &mut Operations) {
    op.execute("ALTER TABLE target ADD COLUMN name TEXT NOT NULL ON CONFLICT REPLACE DEFAULT ''");
}

db_test!(
    a_clause_the_model_cannot_carry_is_refused_not_dropped,
    [sqlite],
    |db| {
        let err = upgrade_head(
            &db,
            linear(&[create_target, add_conflict_clause_column, widen_qty]),
        )
        .await
        .expect_err("a rebuild from the model would lose ON CONFLICT REPLACE");
        let msg = err.to_string();
        assert!(
            msg.contains("cannot rebuild table `target`") && msg.contains("ON CONFLICT"),
            "{msg}"
        );
        assert_eq!(versions(&db).await, vec![R2]);
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["INTEGER"]);
        Ok(())
    }
);

db_test!(
    a_column_collation_added_by_raw_sql_survives_the_rebuild,
    [sqlite],
    |db| {
        // A column's collation is the model's now (Column::collation): read back and kept.
        upgrade_head(
            &db,
            linear(&[create_target, add_collated_column, widen_qty]),
        )
        .await?;
        assert_eq!(declared_type(&db, "target", "qty").await, vec!["BIGINT"]);
        let sql = db
            .query_strings("SELECT sql FROM sqlite_schema WHERE name = 'target'")
            .await?;
        assert!(
            sql.len() == 1 && sql[0].contains("name TEXT COLLATE \"NOCASE\""),
            "{sql:?}"
        );
        Ok(())
    }
);

db_test!(
    a_run_outwaits_a_write_lock_held_past_five_seconds,
    [sqlite],
    |db| {
        // Another connection holds the database's write lock for longer than sqlx's default
        // busy timeout (5 s); a run whose lock timeout is a minute waits it out.
        let mut holder = db.sqlite_pool().acquire().await?;
        sqlx::raw_sql("BEGIN IMMEDIATE")
            .execute(&mut *holder)
            .await?;
        let migrator = Migrator::new(linear(&[create_target]))?.with_timeouts(
            retort_migrate::Timeouts::default().with_lock_wait(std::time::Duration::from_secs(60)),
        );
        let mut d = driver(&db).await;
        let (report, released) = tokio::join!(migrator.upgrade(&mut d, "head"), async {
            tokio::time::sleep(std::time::Duration::from_millis(6500)).await;
            sqlx::raw_sql("COMMIT").execute(&mut *holder).await
        });
        released?;
        report?;
        d.close().await?;
        assert_eq!(versions(&db).await, vec![R1]);
        Ok(())
    }
);

fn create_moods(op: &mut Operations) {
    op.create_enum("mood", ["happy", "ok"]);
    op.create_table("person", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("mood", Type::Enum(retort_core::EnumRef::new("mood")))
            .not_null()
            .server_default(retort_core::ServerDefault::Literal(
                retort_core::Literal::Text("ok".into()),
            ));
        t.primary_key(["id"]);
    });
    op.execute("INSERT INTO person (id) VALUES (1)");
    op.execute("ALTER TABLE person ADD COLUMN legacy TEXT DEFAULT 'kept'");
}
fn add_sad(op: &mut Operations) {
    op.add_enum_value("mood", "sad").existing(["happy", "ok"]);
}

db_test!(
    an_enum_value_added_by_a_live_rebuild_takes_and_keeps_raw_columns,
    [sqlite],
    |db| {
        upgrade_head(&db, linear(&[create_moods, add_sad])).await?;
        db.execute("INSERT INTO person (id, mood) VALUES (2, 'sad')")
            .await?;
        assert!(db
            .execute("INSERT INTO person (id, mood) VALUES (3, 'angry')")
            .await
            .is_err());
        assert_eq!(
            db.query_strings("SELECT mood || ' ' || legacy FROM person ORDER BY id")
                .await?,
            vec!["ok kept", "sad kept"]
        );
        Ok(())
    }
);

db_test!(
    an_offline_rebuild_script_does_not_fail_on_an_orphan_from_before,
    [sqlite],
    |db| {
        upgrade_head(&db, linear(&[create_parent_child])).await?;
        db.execute(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO child (id, parent_id) VALUES (1, 99); \
             PRAGMA foreign_keys = ON",
        )
        .await?;
        let script = Migrator::new(linear(&[create_parent_child, widen_child_note]))?
            .with_assumed_history_shape(true)
            .offline_upgrade(retort_migrate::Backend::Sqlite, &format!("{R1}:{R2}"))?;
        // The rebuild's own check counts only references it broke.
        db.execute(&script).await?;
        assert_eq!(versions(&db).await, vec![R2]);
        assert_eq!(declared_type(&db, "child", "note").await, vec!["BIGINT"]);
        assert_eq!(
            db.query_strings("SELECT CAST(parent_id AS TEXT) FROM child")
                .await?,
            vec!["99"]
        );
        Ok(())
    }
);

/// A history as autogenerate on PostgreSQL records it (issue 11, item 14): `tickets.id` an
/// identity `BY DEFAULT`, then dropped with that kind as its old value. SQLite's one
/// identity is the AUTOINCREMENT rowid, read back as `ALWAYS`; the runner's rebuild takes
/// the history's column where the live one is what SQLite makes of it, so the recorded old
/// value fits and the identity goes, rows kept.
fn create_tickets_by_default(op: &mut Operations) {
    op.create_table("tickets", |t| {
        t.column("id", Type::Integer)
            .not_null()
            .identity(retort_core::Identity::by_default());
        t.column("title", Type::Text).not_null();
        t.primary_key(["id"]);
    });
    op.execute("INSERT INTO tickets (id, title) VALUES (1, 'first'), (2, 'second')");
}
fn drop_tickets_identity(op: &mut Operations) {
    op.alter_column("tickets", "id")
        .drop_identity()
        .existing_identity(retort_core::Identity::by_default());
}

db_test!(
    an_identity_recorded_by_default_is_dropped_by_a_live_rebuild,
    [sqlite],
    |db| {
        upgrade_head(
            &db,
            linear(&[create_tickets_by_default, drop_tickets_identity]),
        )
        .await?;
        assert_eq!(versions(&db).await, vec![R2]);
        let sql = db
            .query_strings("SELECT sql FROM sqlite_master WHERE name = 'tickets'")
            .await?;
        assert!(sql.iter().all(|s| !s.contains("AUTOINCREMENT")), "{sql:?}");
        assert_eq!(
            db.query_strings("SELECT CAST(id AS TEXT) || ' ' || title FROM tickets ORDER BY id")
                .await?,
            vec!["1 first", "2 second"]
        );
        Ok(())
    }
);

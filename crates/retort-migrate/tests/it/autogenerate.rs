//! The autogenerate plumbing against real databases, once per dialect: a database brought
//! to head by recorded ops reads back as the model those ops build (no difference), a
//! model change is found, the replayed history equals the runner's, a database behind the
//! history is refused, and `[autogenerate]` in `retort.toml` reaches the settings.

use retort_core::graph::Revision;
use retort_core::ops::Op;
use retort_core::ops::{Operations, Unnamed};
use retort_core::schema::{Column, FkAction, Identity, ServerDefault, Type};
use retort_core::{Entity, Function, Trigger, View};
use retort_migrate::autogenerate::{
    compare, compare_metadata, database_schema, history_schema, refuse_lost_objects,
    require_up_to_date, script_bodies, AutogenerateError, AutogenerateSettings, Source,
};
use retort_migrate::driver::Driver;
use retort_migrate::{Config, Migrator, Script};
use retort_testkit::{db_test, TestDialect};

use crate::fixtures::driver;

fn up1(op: &mut Operations) {
    op.create_table("customers", |t| {
        t.column("customer_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("email_address", Type::Varchar(Some(120)))
            .not_null();
        t.primary_key(["customer_id"]);
    });
}
fn down1(op: &mut Operations) {
    op.drop_table("customers");
}
fn up2(op: &mut Operations) {
    op.create_table("orders", |t| {
        t.column("order_id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("customer_id", Type::Integer).not_null();
        t.column("order_date", Type::Timestamp { tz: true })
            .server_default(ServerDefault::expr("CURRENT_TIMESTAMP"))
            .not_null();
        t.foreign_key(["customer_id"], "customers", ["customer_id"])
            .on_delete(FkAction::Cascade);
        t.primary_key(["order_id"]);
    });
}
fn down2(op: &mut Operations) {
    op.drop_table("orders");
}

fn scripts() -> Vec<Script> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    vec![
        Script {
            revision: Revision::new("a00000000001").message("customers"),
            upgrade: up1,
            downgrade: down1,
            path: "versions/a00000000001_customers.rs",
            checksum: zeros,
        },
        Script {
            revision: Revision::new("a00000000002")
                .message("orders")
                .down_revision("a00000000001"),
            upgrade: up2,
            downgrade: down2,
            path: "versions/a00000000002_orders.rs",
            checksum: zeros,
        },
    ]
}

db_test!(a_database_at_head_reads_back_as_its_history, |db| {
    let migrator = Migrator::new(scripts())?;
    let mut d = driver(&db).await;
    let heads = migrator.graph().heads();
    let model = migrator.schema_at(&heads);
    let settings = AutogenerateSettings::default();
    let options = settings.diff_options(None);

    // Behind the history: refused, naming both ends.
    migrator.upgrade(&mut d, "a00000000001").await?;
    let err = require_up_to_date(&migrator, &mut d, &heads)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AutogenerateError::NotUpToDate { current, expected }
            if current == "a00000000001" && expected == "a00000000002"),
        "{err}"
    );

    migrator.upgrade(&mut d, "head").await?;
    require_up_to_date(&migrator, &mut d, &heads).await?;
    let backend = d.backend();
    let live = database_schema(&mut d, migrator.tables(), &model, &settings).await?;
    let names: Vec<&str> = live
        .metadata
        .tables()
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["customers", "orders"],
        "bookkeeping tables are left out"
    );
    let diff = compare(&live, &model, &options, Source::Database(backend));
    assert!(diff.is_empty(), "{:#?}", diff);

    // The replayed history is the runner's, and compares clean too.
    let replayed = history_schema(&migrator, &heads)?;
    assert_eq!(replayed.metadata, model);
    assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    assert!(compare(&replayed, &model, &options, Source::History(backend)).is_empty());

    // A new column is found live and offline alike, and its script reverses it.
    let mut changed = model.clone();
    let mut ops = Operations::new();
    ops.add_column("customers", Column::new("phone", Type::Varchar(Some(20))));
    for op in ops.into_ops() {
        op.apply(&mut changed)?;
    }
    let live_diff = compare(&live, &changed, &options, Source::Database(backend));
    let offline_diff = compare(&replayed, &changed, &options, Source::History(backend));
    assert_eq!(live_diff.log, ["Detected added column 'customers.phone'"]);
    assert_eq!(live_diff.ops, offline_diff.ops);
    let (up, down) = script_bodies(&live_diff)?;
    assert!(up.contains("op.add_column("), "{up}");
    assert!(
        down.contains("op.drop_column(\"customers\", \"phone\")"),
        "{down}"
    );

    // A constraint added to an existing table: offline names it (or leaves it unnamed, on
    // SQLite) as live does, so both write the same revision.
    let mut constrained = model.clone();
    let mut ops = Operations::new();
    ops.create_unique_constraint(Unnamed, "customers", ["email_address"]);
    for op in ops.into_ops() {
        op.apply(&mut constrained)?;
    }
    let live_diff = compare(&live, &constrained, &options, Source::Database(backend));
    let offline_diff = compare(&replayed, &constrained, &options, Source::History(backend));
    assert_eq!(live_diff.ops.len(), 1, "{:#?}", live_diff.ops);
    assert_eq!(live_diff.ops, offline_diff.ops);
    assert_eq!(script_bodies(&live_diff)?, script_bodies(&offline_diff)?);

    // Excluding the table by a glob hides the change.
    let mut excluded = options.clone();
    excluded.exclude_tables = vec!["cust*".to_owned()];
    assert!(compare(&live, &changed, &excluded, Source::Database(backend)).is_empty());
    if db.dialect() == TestDialect::Postgres {
        assert!(live.existing_schemas.iter().any(|s| s == "public"));
    }
    d.close().await?;
    Ok(())
});

#[test]
fn autogenerate_settings_come_from_retort_toml_and_environments_replace_them() {
    let text = r#"
[autogenerate]
include_schemas = ["public", "billing"]
exclude_tables = ["tmp_*"]
compare_server_default = false

[env.ci]
url = "postgres://u@h/db"

[env.ci.autogenerate]
compare_type = false
"#;
    let config = Config::parse(text, "/tmp/retort.toml").unwrap();
    let base = config.settings(None, &|_| None).unwrap().autogenerate;
    assert_eq!(
        base.include_schemas,
        Some(vec!["public".to_owned(), "billing".to_owned()])
    );
    assert_eq!(base.exclude_tables, ["tmp_*"]);
    assert!(base.compare_type && !base.compare_server_default);

    let ci = config.settings(Some("ci"), &|_| None).unwrap().autogenerate;
    assert!(!ci.compare_type && ci.compare_server_default);
    assert_eq!(ci.include_schemas, None);

    let none = Config::parse("", "/tmp/retort.toml").unwrap();
    assert_eq!(
        none.settings(None, &|_| None).unwrap().autogenerate,
        AutogenerateSettings::default()
    );
    let bad = Config::parse("[autogenerate]\ncompare_types = true\n", "/tmp/retort.toml");
    assert!(bad.is_err());
}

db_test!(dropping_a_table_with_a_trigger_is_refused_naming_it, |db| {
    // A trigger is not in the model (Retort does not model triggers yet): dropping its table
    // would drop it too, and the downgrade, re-creating the table from the model's
    // knowledge, would not bring it back. Autogenerate refuses, naming it.
    let (function, trigger) = match db.dialect() {
        TestDialect::Postgres => (
            "CREATE FUNCTION keep_name() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF OLD.name <> NEW.name THEN RAISE EXCEPTION 'immutable'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER keep_secret_name BEFORE UPDATE ON secrets FOR EACH ROW \
             EXECUTE FUNCTION keep_name()",
        ),
        _ => (
            "SELECT 1",
            "CREATE TRIGGER keep_secret_name BEFORE UPDATE ON secrets FOR EACH ROW \
             WHEN OLD.name <> NEW.name BEGIN SELECT RAISE(ABORT, 'immutable'); END",
        ),
    };
    db.execute("CREATE TABLE secrets (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)")
        .await?;
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
        .await?;
    db.execute(function).await?;
    db.execute(trigger).await?;
    let mut d = driver(&db).await;
    let settings = AutogenerateSettings::default();
    let empty = retort_core::MetaData::new();
    let current = database_schema(&mut d, &Default::default(), &empty, &settings).await?;
    let diff = compare(
        &current,
        &empty,
        &settings.diff_options(None),
        Source::Database(d.backend()),
    );
    let err = refuse_lost_objects(&current, &diff, &empty).expect_err("the drop is refused");
    let message = err.to_string();
    for needle in ["secrets", "keep_secret_name", "trigger", "exclude_tables"] {
        assert!(message.contains(needle), "{needle} not in: {message}");
    }
    assert!(!message.contains("notes"), "{message}");

    // Keeping the table (the model has it) drops only the other one: nothing is lost.
    let secrets = current
        .metadata
        .get_table(None, "secrets")
        .expect("secrets");
    let keep = retort_core::MetaData::new().table(secrets.clone());
    let diff = compare(
        &current,
        &keep,
        &settings.diff_options(None),
        Source::Database(d.backend()),
    );
    assert_eq!(diff.ops.len(), 1, "{:#?}", diff.log);
    refuse_lost_objects(&current, &diff, &keep)?;
    Ok(())
});

// The library calls (issue 12, item 2): the whole pipeline the command line runs, live and
// offline, with Alembic's `command.check` on top.
db_test!(
    compare_metadata_and_check_are_the_pipeline_as_a_library_call,
    |db| {
        use retort_migrate::autogenerate::{
            check, check_offline, compare_metadata, compare_metadata_offline,
        };
        let migrator = Migrator::new(scripts())?;
        let mut d = driver(&db).await;
        let backend = d.backend();
        let heads = migrator.graph().heads();
        let model = migrator.schema_at(&heads);
        let settings = AutogenerateSettings::default();

        // Behind the history: check refuses as the command line does.
        let err = check(&mut d, &migrator, &model, &settings, None)
            .await
            .unwrap_err();
        assert!(
            matches!(err, AutogenerateError::NotUpToDate { .. }),
            "{err}"
        );

        migrator.upgrade(&mut d, "head").await?;
        check(&mut d, &migrator, &model, &settings, None).await?;
        check_offline(&migrator, &model, backend, &settings, None)?;

        // A model change is a difference, live and offline alike, listed as `check` prints it.
        let mut changed = model.clone();
        let mut ops = Operations::new();
        ops.add_column("customers", Column::new("phone", Type::Varchar(Some(20))));
        for op in ops.into_ops() {
            op.apply(&mut changed)?;
        }
        let live = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
        let offline =
            compare_metadata_offline(&migrator, &changed, &heads, backend, &settings, None)?;
        assert_eq!(live.diff.log, ["Detected added column 'customers.phone'"]);
        assert_eq!(live.diff.ops, offline.diff.ops);
        match check(&mut d, &migrator, &changed, &settings, None).await {
            Err(AutogenerateError::DiffsDetected { log }) => assert_eq!(log, live.diff.log),
            other => panic!("expected the difference, got {other:?}"),
        }

        // An invalid model is refused before anything is read.
        let mut invalid = model.clone();
        invalid
            .get_table_mut(None, "orders")
            .expect("orders")
            .foreign_keys[0]
            .ref_table = "nowhere".into();
        let err = compare_metadata_offline(&migrator, &invalid, &heads, backend, &settings, None)
            .unwrap_err();
        assert!(
            matches!(&err, AutogenerateError::Model(_)) && err.to_string().contains("nowhere"),
            "{err}"
        );
        d.close().await?;
        Ok(())
    }
);

/// `logs`, as a history made it: a `BIGINT` identity, an enum column, a comment.
fn up_logs(op: &mut Operations) {
    op.create_enum("level", ["debug", "info"]);
    op.create_table("logs", |t| {
        t.column("id", Type::BigInt).identity(Identity::always());
        t.column("level", Type::enumeration("level")).not_null();
        t.primary_key(["id"]);
        t.comment("what happened");
    });
}
fn down_logs(op: &mut Operations) {
    op.drop_table("logs");
    op.drop_enum("level");
}

fn logs_history() -> Vec<Script> {
    vec![Script {
        revision: Revision::new("b00000000001").message("logs"),
        upgrade: up_logs,
        downgrade: down_logs,
        path: "versions/b00000000001_logs.rs",
        checksum: "0000000000000000000000000000000000000000000000000000000000000000",
    }]
}

// Issue 11, item 14 (portable histories): SQLite keeps no comment and its one identity is the
// `INTEGER` rowid, so a table dropped by a revision autogenerated there, read back, would be
// re-created by the downgrade as `INTEGER` and without its comment on PostgreSQL. Where the
// table is exactly what the history's definition is once SQLite stores it, the drop records
// the history's definition; a table changed by hand keeps what was read.
db_test!(
    a_dropped_table_records_the_history_definition_the_database_cannot_hold,
    [sqlite],
    |db| {
        let migrator = Migrator::new(logs_history())?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        let heads = migrator.graph().heads();
        let settings = AutogenerateSettings::default();
        let history = migrator.schema_at(&heads);
        let made = history.get_table(None, "logs").expect("logs").clone();
        let dropped = |ops: &[retort_core::ops::Op]| {
            ops.iter()
                .find_map(|op| match op {
                    retort_core::ops::Op::DropTable { existing, .. } => existing.clone(),
                    _ => None,
                })
                .expect("a drop of logs with its definition")
        };
        let empty = retort_core::MetaData::new();
        let live = retort_migrate::autogenerate::compare_metadata(
            &mut d, &migrator, &empty, &heads, &settings, None,
        )
        .await?;
        assert_eq!(dropped(&live.diff.ops), made, "{:#?}", live.diff.ops);

        // Changed by hand: the table is not the history's any more; what was read is kept.
        db.execute("ALTER TABLE logs ADD COLUMN extra TEXT").await?;
        let live = retort_migrate::autogenerate::compare_metadata(
            &mut d, &migrator, &empty, &heads, &settings, None,
        )
        .await?;
        let read = dropped(&live.diff.ops);
        assert!(read.get_column("extra").is_some(), "{read:#?}");
        assert_eq!(read.comment, None);
        d.close().await?;
        Ok(())
    }
);

fn up_tickets(op: &mut Operations) {
    op.create_table("tickets", |t| {
        t.column("id", Type::Integer)
            .not_null()
            .identity(Identity::by_default());
        t.primary_key(["id"]);
    });
}
fn down_tickets(op: &mut Operations) {
    op.drop_table("tickets");
}

// SQLite reads its one identity back as `ALWAYS`; a revision autogenerated there that drops
// an identity the history made `BY DEFAULT` records the history's kind, so the replay of the
// history (which checks an op's old values) fits it, on SQLite as on PostgreSQL.
db_test!(
    an_altered_column_records_the_history_old_values_the_database_cannot_hold,
    [sqlite],
    |db| {
        let migrator = Migrator::new(vec![Script {
            revision: Revision::new("b00000000002").message("tickets"),
            upgrade: up_tickets,
            downgrade: down_tickets,
            path: "versions/b00000000002_tickets.rs",
            checksum: "0000000000000000000000000000000000000000000000000000000000000000",
        }])?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        let heads = migrator.graph().heads();
        let mut model = migrator.schema_at(&heads);
        model
            .get_table_mut(None, "tickets")
            .expect("tickets")
            .columns[0]
            .identity = None;
        let settings = AutogenerateSettings::default();
        let live = retort_migrate::autogenerate::compare_metadata(
            &mut d, &migrator, &model, &heads, &settings, None,
        )
        .await?;
        let [retort_core::ops::Op::AlterColumn(a)] = live.diff.ops.as_slice() else {
            panic!("{:#?}", live.diff.ops);
        };
        assert_eq!(a.identity, Some(None));
        assert_eq!(a.existing_identity, Some(Some(Identity::by_default())));
        // The replayed history takes the op as recorded.
        let mut replayed = migrator.schema_at(&heads);
        live.diff.ops[0].apply(&mut replayed)?;
        d.close().await?;
        Ok(())
    }
);

fn up_views(op: &mut Operations) {
    op.create_table("items", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("total", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
    op.create_entity(retort_core::View::new(
        "item_report",
        "SELECT id, total FROM items WHERE total > 0",
    ));
}
fn down_views(op: &mut Operations) {
    op.drop_entity(retort_core::View::new(
        "item_report",
        "SELECT id, total FROM items WHERE total > 0",
    ));
    op.drop_table("items");
}

// Live autogenerate through a real history: the view a revision created compares clean
// however the server prints it, a change is a replace carrying the database's definition,
// and a model without it drops it; a view made by hand is never dropped, only named in a
// warning (`docs/entities.md`).
db_test!(
    an_entity_the_history_created_is_dropped_one_made_by_hand_is_left,
    |db| {
        let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
        let migrator = Migrator::new(vec![Script {
            revision: Revision::new("e00000000001").message("items"),
            upgrade: up_views,
            downgrade: down_views,
            path: "versions/e00000000001_items.rs",
            checksum: zeros,
        }])?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        db.execute("CREATE VIEW handmade AS SELECT id FROM items")
            .await?;
        let heads = migrator.graph().heads();
        let settings = AutogenerateSettings::default();
        let model = migrator.schema_at(&heads);
        let hand_warning = |w: &[String]| {
            w.iter()
                .any(|w| w.starts_with("view handmade is in the database but not in the model"))
        };

        let same = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
        assert!(same.diff.ops.is_empty(), "{:#?}", same.diff.ops);
        assert!(
            hand_warning(&same.diff.warnings),
            "{:?}",
            same.diff.warnings
        );

        let mut changed = model.clone();
        changed.entities_mut()[0] = retort_core::View::new(
            "item_report",
            "SELECT id, total FROM items WHERE total > 10",
        )
        .into();
        let c = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
        assert_eq!(c.diff.log, ["Detected changed view item_report"]);
        let Op::ReplaceEntity { existing, .. } = &c.diff.ops[0] else {
            panic!("{:#?}", c.diff.ops)
        };
        assert!(existing.as_ref().unwrap().definition().contains("> 0"));

        let mut without = model.clone();
        without.entities_mut().clear();
        let w = compare_metadata(&mut d, &migrator, &without, &heads, &settings, None).await?;
        assert_eq!(w.diff.log, ["Detected removed view item_report"]);
        assert!(hand_warning(&w.diff.warnings), "{:?}", w.diff.warnings);
        Ok(())
    }
);

// Issue 11, item 14: the old definition a replace or a drop carries is the one the
// history recorded, in its words, where the database still has it (PostgreSQL prints it
// otherwise: the server is asked to print the history's too), so the revision runs the
// same on a backend that keeps definitions as written. A view changed by hand since keeps
// the database's words, and on PostgreSQL a warning says so.
db_test!(
    an_old_definition_is_the_historys_words_where_the_database_still_has_it,
    |db| {
        let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
        let migrator = Migrator::new(vec![Script {
            revision: Revision::new("e00000000001").message("items"),
            upgrade: up_views,
            downgrade: down_views,
            path: "versions/e00000000001_items.rs",
            checksum: zeros,
        }])?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        let heads = migrator.graph().heads();
        let settings = AutogenerateSettings::default();
        let model = migrator.schema_at(&heads);
        let recorded = "SELECT id, total FROM items WHERE total > 0";
        let server_words = |w: &[String]| {
            w.iter().any(|w| {
                w.starts_with("view item_report: the revision records its old definition as the database prints it")
            })
        };
        let old_definition = |ops: &[Op]| match ops {
            [Op::ReplaceEntity {
                existing: Some(e), ..
            }
            | Op::DropEntity {
                existing: Some(e), ..
            }] => e.definition().to_owned(),
            other => panic!("{other:#?}"),
        };

        let mut changed = model.clone();
        changed.entities_mut()[0] = retort_core::View::new(
            "item_report",
            "SELECT id, total FROM items WHERE total > 10",
        )
        .into();
        let c = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
        assert_eq!(old_definition(&c.diff.ops), recorded);
        assert!(c.diff.warnings.is_empty(), "{:?}", c.diff.warnings);

        let mut without = model.clone();
        without.entities_mut().clear();
        let w = compare_metadata(&mut d, &migrator, &without, &heads, &settings, None).await?;
        assert_eq!(old_definition(&w.diff.ops), recorded);
        assert!(w.diff.warnings.is_empty(), "{:?}", w.diff.warnings);

        // Changed by hand since: not what the history recorded.
        db.execute("DROP VIEW item_report").await?;
        db.execute("CREATE VIEW item_report AS SELECT id, total FROM items WHERE total > 5")
            .await?;
        let h = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
        let old = old_definition(&h.diff.ops);
        assert!(old.contains("> 5"), "{old}");
        if db.dialect() == TestDialect::Postgres {
            assert_ne!(old, "SELECT id, total FROM items WHERE total > 5");
            assert!(server_words(&h.diff.warnings), "{:?}", h.diff.warnings);
            assert!(
                h.diff.warnings[0].contains("not the one the history recorded"),
                "{:?}",
                h.diff.warnings
            );
        } else {
            // SQLite keeps the text as written: nothing to warn about.
            assert_eq!(old, "SELECT id, total FROM items WHERE total > 5");
            assert!(h.diff.warnings.is_empty(), "{:?}", h.diff.warnings);
        }
        Ok(())
    }
);

fn up_raw(op: &mut Operations) {
    op.create_table("items", |t| {
        t.column("id", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
    op.execute("UPDATE items SET id = id");
}
fn down_raw(op: &mut Operations) {
    op.drop_table("items");
}

// Issue 14: live autogenerate leaves out a replayed history that had warnings (raw SQL it
// cannot see), and with it what the history would have given a dropped table's downgrade;
// the user is told so, naming the revision, when the diff has something to write.
db_test!(
    a_history_left_out_for_its_raw_sql_is_named_in_a_warning,
    |db| {
        let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
        let migrator = Migrator::new(vec![Script {
            revision: Revision::new("f00000000001").message("items"),
            upgrade: up_raw,
            downgrade: down_raw,
            path: "versions/f00000000001_items.rs",
            checksum: zeros,
        }])?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        let heads = migrator.graph().heads();
        let settings = AutogenerateSettings::default();
        let model = migrator.schema_at(&heads);
        let same = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
        assert!(same.diff.ops.is_empty(), "{:#?}", same.diff.ops);
        let dropped = compare_metadata(
            &mut d,
            &migrator,
            &retort_core::MetaData::new(),
            &heads,
            &settings,
            None,
        )
        .await?;
        assert_eq!(dropped.diff.log, ["Detected removed table 'items'"]);
        let named = dropped.diff.warnings.iter().any(|w| {
            w.contains("revision f00000000001 (versions/f00000000001_items.rs) runs raw SQL")
        });
        assert!(named, "{:?}", dropped.diff.warnings);
        Ok(())
    }
);

// A hand-written history that drops a view without first dropping the `INSTEAD OF` trigger
// on it: `DROP VIEW` takes the trigger along on PostgreSQL and SQLite, and the replayed
// history (autogenerate and `check` without a database) must too, or it keeps a trigger on
// a view that no longer exists and the next autogenerate drops it again.

fn view_up1_postgres(op: &mut Operations) {
    view_table(op);
    op.create_entity(View::new("names", "SELECT id, name FROM people"));
    op.create_entity(Function::new(
        "names_insert",
        "",
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO people (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$",
    ));
    op.create_entity(Trigger::new(
        "names",
        "names_insert",
        "INSTEAD OF INSERT ON names FOR EACH ROW EXECUTE FUNCTION names_insert()",
    ));
}
fn view_up1_sqlite(op: &mut Operations) {
    view_table(op);
    op.create_entity(View::new("names", "SELECT id, name FROM people"));
    op.create_entity(Trigger::new(
        "names",
        "names_insert",
        "INSTEAD OF INSERT ON names BEGIN INSERT INTO people (id, name) VALUES (NEW.id, NEW.name); END",
    ));
}
fn view_table(op: &mut Operations) {
    op.create_table("people", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("name", Type::Text).not_null();
        t.primary_key(["id"]);
    });
}
fn view_down1(op: &mut Operations) {
    op.drop_table("people");
}
/// The view alone, as a user writes it: its trigger is not named.
fn view_up2(op: &mut Operations) {
    op.drop_entity(View::new("names", "SELECT id, name FROM people"));
}
fn view_down2(op: &mut Operations) {
    op.create_entity(View::new("names", "SELECT id, name FROM people"));
}

db_test!(
    a_view_dropped_by_hand_takes_its_instead_of_trigger_in_replay_as_live,
    [postgres, sqlite],
    |db| {
        let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
        let up1 = match db.dialect() {
            TestDialect::Postgres => view_up1_postgres as fn(&mut Operations),
            _ => view_up1_sqlite,
        };
        let migrator = Migrator::new(vec![
            Script {
                revision: Revision::new("b00000000001").message("people and a view"),
                upgrade: up1,
                downgrade: view_down1,
                path: "versions/b00000000001_people.rs",
                checksum: zeros,
            },
            Script {
                revision: Revision::new("b00000000002")
                    .message("drop the view")
                    .down_revision("b00000000001"),
                upgrade: view_up2,
                downgrade: view_down2,
                path: "versions/b00000000002_drop_view.rs",
                checksum: zeros,
            },
        ])?;
        let mut d = driver(&db).await;
        let heads = migrator.graph().heads();
        migrator.upgrade(&mut d, "head").await?;
        let settings = AutogenerateSettings::default();
        let options = settings.diff_options(None);
        let backend = d.backend();
        let replayed = history_schema(&migrator, &heads)?;
        let live =
            database_schema(&mut d, migrator.tables(), &replayed.metadata, &settings).await?;
        let triggers = |md: &retort_core::MetaData| -> Vec<String> {
            md.entities()
                .iter()
                .filter(|e| matches!(e, Entity::Trigger(_)))
                .map(|e| e.name().to_owned())
                .collect()
        };
        assert!(
            triggers(&live.metadata).is_empty(),
            "the database dropped it"
        );
        assert!(
            triggers(&replayed.metadata).is_empty(),
            "the replay keeps a trigger on a dropped view: {:?}",
            replayed.metadata.entities()
        );
        // The replayed history is what the database has: nothing to do either way.
        let diff = compare(
            &live,
            &replayed.metadata,
            &options,
            Source::Database(backend),
        );
        assert!(diff.is_empty(), "{:#?}", diff.ops);
        d.close().await?;
        Ok(())
    }
);

// The same for the grants on a view (PostgreSQL): `DROP VIEW` takes them along, table and
// column privileges alike, and the replayed history must too, or it keeps grants on a view
// that no longer exists. Granted to PUBLIC: no role to make.

fn view_grant_up1(op: &mut Operations) {
    view_table(op);
    op.create_entity(View::new("names", "SELECT id, name FROM people"));
    op.create_entity(retort_core::Grant::on_table("names", "SELECT", "PUBLIC"));
    op.create_entity(retort_core::Grant::on_column(
        "names", "name", "UPDATE", "PUBLIC",
    ));
}

db_test!(
    a_view_dropped_by_hand_takes_its_grants_in_replay_as_live,
    [postgres],
    |db| {
        let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
        let migrator = Migrator::new(vec![
            Script {
                revision: Revision::new("c00000000001").message("people and a view"),
                upgrade: view_grant_up1,
                downgrade: view_down1,
                path: "versions/c00000000001_people.rs",
                checksum: zeros,
            },
            Script {
                revision: Revision::new("c00000000002")
                    .message("drop the view")
                    .down_revision("c00000000001"),
                upgrade: view_up2,
                downgrade: view_down2,
                path: "versions/c00000000002_drop_view.rs",
                checksum: zeros,
            },
        ])?;
        let mut d = driver(&db).await;
        let heads = migrator.graph().heads();
        migrator.upgrade(&mut d, "head").await?;
        let settings = AutogenerateSettings::default();
        let options = settings.diff_options(None);
        let backend = d.backend();
        let replayed = history_schema(&migrator, &heads)?;
        let live =
            database_schema(&mut d, migrator.tables(), &replayed.metadata, &settings).await?;
        let grants = |md: &retort_core::MetaData| -> Vec<String> {
            md.entities()
                .iter()
                .filter(|e| matches!(e, Entity::Grant(_)))
                .map(|e| e.key().to_string())
                .collect()
        };
        assert!(
            grants(&live.metadata).is_empty(),
            "the database dropped them"
        );
        assert!(
            grants(&replayed.metadata).is_empty(),
            "the replay keeps grants on a dropped view: {:?}",
            grants(&replayed.metadata)
        );
        let diff = compare(
            &live,
            &replayed.metadata,
            &options,
            Source::Database(backend),
        );
        assert!(diff.is_empty(), "{:#?}", diff.ops);
        d.close().await?;
        Ok(())
    }
);

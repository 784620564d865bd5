//! Views and triggers under version control on a live MariaDB database made by a real
//! history: what the history made compares clean through the server's own print (MySQL
//! rewrites a view's query), a view the model loses is dropped carrying the words the
//! history wrote, what was made by hand is left alone with a warning, a table with a trigger
//! nobody declared is not dropped silently, and the scratch views the comparison spells the
//! model in never stay behind, even when one of them cannot be created.

use retort_core::graph::Revision;
use retort_core::ops::{Op, Operations};
use retort_core::schema::{Table, Trigger, Type, View};
use retort_core::{Entity, MetaData};
use retort_migrate::autogenerate::{compare_metadata, AutogenerateError, AutogenerateSettings};
use retort_migrate::{Migrator, Script};
use retort_testkit::db_test;

use crate::fixtures::driver;

fn totals() -> View {
    View::new(
        "order_totals",
        "SELECT customer_id, count(*) AS n, sum(total) AS total FROM orders GROUP BY customer_id",
    )
}

fn touch() -> Trigger {
    Trigger::new(
        "orders",
        "orders_touch",
        "before update on orders for each row SET NEW.updated_at = 'changed';",
    )
}

fn up(op: &mut Operations) {
    op.create_table("orders", |t| {
        t.column("order_id", Type::Integer).not_null();
        t.column("customer_id", Type::Integer).not_null();
        t.column("total", Type::Integer).not_null();
        t.column("updated_at", Type::Varchar(Some(40)));
        t.primary_key(["order_id"]);
    });
    op.create_entity(totals());
    op.create_entity(touch());
}

fn down(op: &mut Operations) {
    op.drop_entity(touch());
    op.drop_entity(totals());
    op.drop_table("orders");
}

fn migrator() -> Result<Migrator, retort_testkit::BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    Ok(Migrator::new(vec![Script {
        revision: Revision::new("v00000000001").message("orders"),
        upgrade: up,
        downgrade: down,
        path: "versions/v00000000001_orders.rs",
        checksum: zeros,
    }])?)
}

fn warned(warnings: &[String], start: &str) -> bool {
    warnings.iter().any(|w| w.starts_with(start))
}

db_test!(
    mysql_views_and_triggers_of_the_history_and_by_hand,
    [mysql],
    |db| {
        let migrator = migrator()?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        let heads = migrator.graph().heads();
        let settings = AutogenerateSettings::default();
        let model = migrator.schema_at(&heads);
        let scratch = "SELECT TABLE_NAME FROM information_schema.VIEWS \
                       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'retort\\_spell\\_%'";

        // MariaDB keeps `select `orders`.`customer_id` AS ...count(0)..`: the same view.
        let same = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
        assert!(same.diff.ops.is_empty(), "{:#?}", same.diff.ops);
        assert!(same.diff.warnings.is_empty(), "{:?}", same.diff.warnings);
        assert!(db.query_strings(scratch).await?.is_empty());

        // Made by hand: left alone, each named in a warning.
        db.execute("CREATE VIEW handmade AS SELECT order_id FROM orders")
            .await?;
        db.execute(
            "CREATE TRIGGER handmade_audit AFTER INSERT ON orders FOR EACH ROW SET @n = NEW.order_id",
        )
        .await?;
        let c = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
        assert!(c.diff.ops.is_empty(), "{:#?}", c.diff.ops);
        let w = &c.diff.warnings;
        assert!(
            warned(w, "view handmade is in the database but not in the model"),
            "{w:?}"
        );
        assert!(
            warned(
                w,
                "trigger handmade_audit on orders is in the database but not in the model"
            ),
            "{w:?}"
        );

        // The model loses the history's view: dropped, carrying the history's words (the
        // server printed them alike), so the downgrade writes what the revision wrote.
        let mut lost = model.clone();
        lost.entities_mut().retain(|e| e.name() != "order_totals");
        let c = compare_metadata(&mut d, &migrator, &lost, &heads, &settings, None).await?;
        let [Op::DropEntity {
            existing: Some(Entity::View(old)),
            ..
        }] = c.diff.ops.as_slice()
        else {
            panic!("{:#?}", c.diff.ops)
        };
        assert_eq!(old.definition, totals().definition);

        // A changed view and a view the server refuses to compile (its table is missing):
        // the first is a replace, the second compared as text, and no scratch view stays.
        let mut changed = model.clone();
        for e in changed.entities_mut() {
            if let Entity::View(v) = e {
                v.definition =
                    "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id"
                        .into();
            }
        }
        changed = changed.with_entity(View::new("handmade", "SELECT nothing FROM missing"));
        let c = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
        assert_eq!(
            c.diff.log,
            [
                "Detected changed view order_totals",
                "Detected changed view handmade"
            ],
            "{:#?}",
            c.diff.ops
        );
        assert!(db.query_strings(scratch).await?.is_empty());

        // Only views the server refuses to compile: said in a warning, compared as text.
        let broken = lost
            .clone()
            .with_entity(View::new("handmade", "SELECT nothing FROM missing"));
        let c = compare_metadata(&mut d, &migrator, &broken, &heads, &settings, None).await?;
        assert!(
            c.diff
                .log
                .contains(&"Detected changed view handmade".to_owned()),
            "{:?}",
            c.diff.log
        );
        assert!(
            c.diff
                .warnings
                .iter()
                .any(|w| w.contains("no scratch view could be created (view handmade:")),
            "{:?}",
            c.diff.warnings
        );
        assert!(db.query_strings(scratch).await?.is_empty());

        // Dropping the table would take the trigger nobody declared with it: refused.
        let mut no_orders = MetaData::new();
        no_orders.tables_mut().retain(|_: &Table| false);
        let err = compare_metadata(&mut d, &migrator, &no_orders, &heads, &settings, None)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AutogenerateError::LostObjects { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("handmade_audit"), "{err}");
        assert!(!err.to_string().contains("orders_touch"), "{err}");
        Ok(())
    }
);

fn up_audit(op: &mut Operations) {
    op.create_table("orders", |t| {
        t.column("order_id", Type::Integer).not_null();
        t.column("total", Type::Integer).not_null();
        t.column("note", Type::Varchar(Some(40)));
        t.primary_key(["order_id"]);
    });
    op.create_entity(Trigger::new(
        "orders",
        "orders_note",
        "BEFORE UPDATE ON orders FOR EACH ROW BEGIN\n  IF NEW.total <> OLD.total THEN\n    SET NEW.note = 'a//b; changed';\n  END IF;\nEND",
    ));
}

fn down_audit(op: &mut Operations) {
    op.drop_table("orders");
}

/// `mysql://user[:password]@host[:port]/database` as the `mysql` client's arguments.
fn client_args(url: &str) -> Vec<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (auth, rest) = rest.split_once('@').unwrap_or(("root", rest));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let (host, database) = rest.split_once('/').unwrap_or((rest, ""));
    let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
    let mut args = vec![
        format!("--host={host}"),
        format!("--port={port}"),
        format!("--user={user}"),
    ];
    if !password.is_empty() {
        args.push(format!("--password={password}"));
    }
    args.push(database.to_owned());
    args
}

// The offline script of a trigger with a `BEGIN .. END` body runs in the `mysql` client as a
// user would run it: the statement sits between `DELIMITER` lines (the client would end it
// at its first `;`), and the trigger it makes is the one the runner would make.
db_test!(
    mysql_offline_script_delimits_a_begin_end_trigger,
    [mysql],
    |db| {
        let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
        let migrator = Migrator::new(vec![Script {
            revision: Revision::new("v00000000001").message("audit"),
            upgrade: up_audit,
            downgrade: down_audit,
            path: "versions/v00000000001_audit.rs",
            checksum: zeros,
        }])?;
        let script = migrator.offline_upgrade(retort_migrate::url::Backend::Mysql, "head")?;
        assert!(
            script.contains("DELIMITER $$\nCREATE TRIGGER orders_note"),
            "{script}"
        );
        let mut child = std::process::Command::new("mysql")
            .args(client_args(db.url()))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("the `mysql` client must be installed for this test: {e}"))?;
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(script.as_bytes())?;
        }
        let out = child.wait_with_output()?;
        assert!(
            out.status.success(),
            "mysql failed: {}\n{script}",
            String::from_utf8_lossy(&out.stderr)
        );
        db.execute("INSERT INTO orders (order_id, total) VALUES (1, 5)")
            .await?;
        db.execute("UPDATE orders SET total = 6 WHERE order_id = 1")
            .await?;
        assert_eq!(
            db.query_strings("SELECT note FROM orders").await?,
            ["a//b; changed"]
        );
        // And the comparison sees the history's trigger as it is.
        let mut d = driver(&db).await;
        let heads = migrator.graph().heads();
        let model = migrator.schema_at(&heads);
        let c = compare_metadata(
            &mut d,
            &migrator,
            &model,
            &heads,
            &AutogenerateSettings::default(),
            None,
        )
        .await?;
        assert!(c.diff.ops.is_empty(), "{:#?}", c.diff.ops);
        Ok(())
    }
);

//! `online = true` on MariaDB (`Migrator::with_online`): every ALTER runs with
//! `ALGORITHM=INPLACE, LOCK=NONE` (an added column `ALGORITHM=INSTANT`, an index
//! `ALGORITHM=INPLACE LOCK=NONE`), online and in offline `--sql`; what the server can do so
//! runs, a change it could only make by copying the table is refused by the server and
//! runs plainly without `online`.

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::{Column, Type};
use retort_migrate::{Backend, Migrator, Script};
use retort_testkit::db_test;

use crate::fixtures::{driver, versions};

const O1: &str = "online1";
const O2: &str = "online2";
const O3: &str = "online3";

fn up1(op: &mut Operations) {
    op.create_table("items", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("note", Type::Varchar(Some(20)));
        t.column("score", Type::Integer);
        t.primary_key(["id"]);
    });
}
fn down1(op: &mut Operations) {
    op.drop_table("items");
}
/// What InnoDB does without copying the table.
fn up2(op: &mut Operations) {
    op.add_column("items", Column::new("memo", Type::Text));
    op.create_index("ix_items_score", "items", ["score"]);
    op.alter_column("items", "note")
        .nullable(false)
        .existing_type(Type::Varchar(Some(20)))
        .existing_nullable(true);
}
fn down2(op: &mut Operations) {
    op.alter_column("items", "note")
        .nullable(true)
        .existing_type(Type::Varchar(Some(20)))
        .existing_nullable(false);
    op.drop_index("ix_items_score", "items");
    op.drop_column("items", "memo");
}
/// A type change: InnoDB copies the table.
fn up3(op: &mut Operations) {
    op.alter_column("items", "score")
        .type_(Type::BigInt)
        .existing_type(Type::Integer);
}
fn down3(op: &mut Operations) {
    op.alter_column("items", "score")
        .type_(Type::Integer)
        .existing_type(Type::BigInt);
}

fn history() -> Vec<Script> {
    let sum = "4444444444444444444444444444444444444444444444444444444444444444";
    vec![
        Script {
            revision: Revision::new(O1).message("items"),
            upgrade: up1,
            downgrade: down1,
            path: "versions/online1_items.rs",
            checksum: sum,
        },
        Script {
            revision: Revision::new(O2).message("in place").down_revision(O1),
            upgrade: up2,
            downgrade: down2,
            path: "versions/online2_in_place.rs",
            checksum: sum,
        },
        Script {
            revision: Revision::new(O3).message("copies").down_revision(O2),
            upgrade: up3,
            downgrade: down3,
            path: "versions/online3_copies.rs",
            checksum: sum,
        },
    ]
}

db_test!(
    online_ddl_runs_in_place_or_is_refused_by_the_server,
    [mysql],
    |db| {
        let plain = Migrator::new(history())?;
        let online = Migrator::new(history())?.with_online(true);

        // Offline, the clauses are in the script; without `online`, none.
        let sql = online.offline_upgrade(Backend::Mysql, &format!("{O1}:head"))?;
        for expected in [
            "ADD COLUMN memo TEXT, ALGORITHM=INSTANT",
            "ON items (score) ALGORITHM=INPLACE LOCK=NONE",
            "NOT NULL, ALGORITHM=INPLACE, LOCK=NONE",
            "BIGINT, ALGORITHM=INPLACE, LOCK=NONE",
        ] {
            assert!(sql.contains(expected), "{expected}:\n{sql}");
        }
        let sql = plain.offline_upgrade(Backend::Mysql, &format!("{O1}:head"))?;
        assert!(!sql.contains("ALGORITHM"), "{sql}");

        let mut d = driver(&db).await;
        online.upgrade(&mut d, O1).await?;
        db.execute("INSERT INTO items (id, note, score) VALUES (1, 'a', 1), (2, 'b', 2)")
            .await?;
        // In place: it runs.
        online.upgrade(&mut d, O2).await?;
        assert_eq!(versions(&db).await, vec![O2]);
        // A copy: the server refuses it, and nothing of the revision ran.
        let err = online
            .upgrade(&mut d, "head")
            .await
            .expect_err("the server refuses a copy");
        let text = err.to_string();
        assert!(
            text.contains("ALGORITHM=INPLACE is not supported"),
            "{text}"
        );
        assert_eq!(versions(&db).await, vec![O2]);
        // Without `online` the same revision copies the table and runs.
        plain.upgrade(&mut d, "head").await?;
        assert_eq!(versions(&db).await, vec![O3]);
        // The downgrade in its online form: back to O2 refused (a copy), then in place.
        assert!(online.downgrade(&mut d, O2).await.is_err());
        plain.downgrade(&mut d, O2).await?;
        online.downgrade(&mut d, O1).await?;
        assert_eq!(versions(&db).await, vec![O1]);
        Ok(())
    }
);

//! A revision written by hand that drops a column a view reads (issue 14, item 5): the
//! database refuses, and the error names the view and says what to do, not only the
//! server's own words ("cannot drop column .. because other objects depend on it" on
//! PostgreSQL, "error in view .. after drop column" on SQLite).

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::schema::{Column, Type, View};
use retort_migrate::driver::Driver;
use retort_migrate::{MigrateError, Migrator, Script};
use retort_testkit::db_test;

use crate::fixtures::{driver, versions};

fn up_notes(op: &mut Operations) {
    op.create_table("notes", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("body", Type::Text);
        t.primary_key(["id"]);
    });
    op.create_entity(View::new("note_bodies", "SELECT id, body FROM notes"));
}
fn down_notes(op: &mut Operations) {
    op.drop_entity(View::new("note_bodies", "SELECT id, body FROM notes"));
    op.drop_table("notes");
}
fn up_drop_body(op: &mut Operations) {
    op.drop_column("notes", "body")
        .existing(Column::new("body", Type::Text));
}
fn down_drop_body(op: &mut Operations) {
    op.add_column("notes", Column::new("body", Type::Text));
}

// The view is the history's own (made by the first revision): the second drops the column
// under it, as a user writes it without the view's drop and create around it.
db_test!(
    a_hand_written_drop_column_under_a_view_names_the_view,
    |db| {
        let scripts = vec![
            Script {
                revision: Revision::new("c00000000001").message("notes"),
                upgrade: up_notes,
                downgrade: down_notes,
                path: "versions/c00000000001_notes.rs",
                checksum: "1111111111111111111111111111111111111111111111111111111111111111",
            },
            Script {
                revision: Revision::new("c00000000002")
                    .down_revision("c00000000001")
                    .message("drop body"),
                upgrade: up_drop_body,
                downgrade: down_drop_body,
                path: "versions/c00000000002_drop_body.rs",
                checksum: "2222222222222222222222222222222222222222222222222222222222222222",
            },
        ];
        let migrator = Migrator::new(scripts)?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "c00000000001").await?;
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        assert!(matches!(&err, MigrateError::Step { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("c00000000002"), "{text}");
        assert!(text.contains("note_bodies"), "the view is named: {text}");
        assert!(
            text.contains("op.drop_entity(") && text.contains("op.create_entity("),
            "what to do is said: {text}"
        );
        assert_eq!(
            versions(&db).await,
            vec!["c00000000001"],
            "nothing of it ran"
        );
        d.close().await?;
        Ok(())
    }
);

fn up_reports(op: &mut Operations) {
    op.create_schema("reports");
    op.create_table("daily", |t| {
        t.schema("reports");
        t.column("day", Type::Date).not_null();
        t.primary_key(["day"]);
    });
    op.create_entity(View::new("days", "SELECT day FROM reports.daily").in_schema("reports"));
}
fn down_reports(op: &mut Operations) {
    op.drop_entity(View::new("days", "SELECT day FROM reports.daily").in_schema("reports"));
    op.drop_table("daily").schema("reports");
    op.drop_schema("reports");
}
fn up_drop_reports(op: &mut Operations) {
    // The view is forgotten: the schema still holds it when it is dropped.
    op.drop_table("daily").schema("reports");
    op.drop_schema("reports");
}
fn down_drop_reports(op: &mut Operations) {
    up_reports(op);
}

// A hand-written revision dropping a schema that still holds an entity the history made is
// refused before anything of it runs, naming the entity (its drop must come first).
db_test!(
    dropping_a_schema_that_holds_an_entity_names_it,
    [postgres],
    |db| {
        let scripts = vec![
            Script {
                revision: Revision::new("d00000000001").message("reports"),
                upgrade: up_reports,
                downgrade: down_reports,
                path: "versions/d00000000001_reports.rs",
                checksum: "1111111111111111111111111111111111111111111111111111111111111111",
            },
            Script {
                revision: Revision::new("d00000000002")
                    .down_revision("d00000000001")
                    .message("drop reports"),
                upgrade: up_drop_reports,
                downgrade: down_drop_reports,
                path: "versions/d00000000002_drop_reports.rs",
                checksum: "2222222222222222222222222222222222222222222222222222222222222222",
            },
        ];
        let migrator = Migrator::new(scripts)?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "d00000000001").await?;
        let err = migrator.upgrade(&mut d, "head").await.unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("d00000000002") && text.contains("view reports.days"),
            "{text}"
        );
        assert_eq!(
            versions(&db).await,
            vec!["d00000000001"],
            "nothing of it ran"
        );
        d.close().await?;
        Ok(())
    }
);

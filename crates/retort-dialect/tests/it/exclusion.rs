//! Exclusion constraints (PostgreSQL's `EXCLUDE USING ..`): read back from the catalog,
//! rendered in `CREATE TABLE` and `ADD CONSTRAINT`, compared clean after a round trip, and
//! refused by SQLite, naming the table and constraint.

use retort_core::diff::{diff_with, DiffOptions};
use retort_core::ops::{ConstraintKind, Op};
use retort_core::{
    Column, Deferrable, Exclude, ExcludeElement, IndexElement, MetaData, Table, Type,
};
use retort_dialect::postgres::introspect::{IntrospectOptions, PgCompare};
use retort_dialect::{Dialect, DialectError, Postgres, Sqlite, TableName};
use retort_testkit::db_test;

use crate::introspect::introspect;

fn bookings() -> Table {
    Table::new("bookings")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("room_id", Type::Integer).not_null())
        .column(Column::new("starts_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("ends_at", Type::Timestamp { tz: true }).not_null())
        .column(Column::new("cancelled", Type::Boolean).not_null())
        .primary_key(["id"])
}

fn no_overlap() -> Exclude {
    Exclude::new(
        "no_overlap",
        vec![ExcludeElement::expr("tstzrange(starts_at, ends_at)", "&&")],
    )
    .predicate("NOT cancelled")
    .deferrable(Deferrable::InitiallyDeferred)
}

const BOOKINGS_SQL: &str = "CREATE TABLE bookings (
    id integer NOT NULL PRIMARY KEY,
    room_id integer NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    cancelled boolean NOT NULL,
    CONSTRAINT no_overlap EXCLUDE USING gist (tstzrange(starts_at, ends_at) WITH &&)
        WHERE (NOT cancelled) DEFERRABLE INITIALLY DEFERRED
)";

// Before exclusion constraints were read, the catalog query skipped contype 'x' and the
// index query skipped the index behind it, so the constraint vanished from the schema read
// back: autogenerate against a model without it proposed nothing, and a model with it would
// re-create it forever.
db_test!(
    an_existing_exclusion_constraint_is_dropped_by_name_not_ignored,
    [postgres],
    |db| {
        db.execute(BOOKINGS_SQL).await?;
        let read = introspect(db.pg_pool(), &IntrospectOptions::default()).await?;
        let model = MetaData::new().table(bookings());
        let d = diff_with(&read, &model, &DiffOptions::default(), &PgCompare);
        let drops: Vec<(&str, ConstraintKind)> = d
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::DropConstraint { name, kind, .. } => Some((name.as_str(), *kind)),
                _ => None,
            })
            .collect();
        assert_eq!(
            drops,
            [("no_overlap", ConstraintKind::Exclude)],
            "{:#?}",
            d.ops
        );
        assert_eq!(d.ops.len(), 1, "{:#?}", d.ops);
        Ok(())
    }
);

db_test!(
    an_exclusion_constraint_reads_back_as_written,
    [postgres],
    |db| {
        db.execute(BOOKINGS_SQL).await?;
        db.execute(
            "ALTER TABLE bookings ADD CONSTRAINT one_room EXCLUDE USING btree \
             (room_id DESC NULLS LAST WITH =) INCLUDE (id)",
        )
        .await?;
        let read = introspect(db.pg_pool(), &IntrospectOptions::default()).await?;
        let t = read.get_table(None, "bookings").expect("read back");
        let mut no_overlap = no_overlap();
        // PostgreSQL prints the predicate in its own spelling.
        no_overlap.predicate = Some("NOT cancelled".into());
        let one_room = Exclude::new(
            "one_room",
            vec![ExcludeElement::new(
                IndexElement::column("room_id").desc().nulls_last(),
                "=",
            )],
        )
        .using("btree")
        .include(["id"]);
        assert_eq!(t.excludes, [no_overlap, one_room]);
        // The indexes behind them are the constraints, not indexes of their own.
        assert!(t.indexes.is_empty(), "{:?}", t.indexes);
        Ok(())
    }
);

db_test!(
    a_model_with_exclusion_constraints_diffs_clean_after_create_all,
    [postgres],
    |db| {
        let model = MetaData::new().table(
            bookings()
                .exclude(no_overlap())
                .exclude(
                    Exclude::new(
                        "one_room_at_a_time",
                        vec![
                            ExcludeElement::column("room_id", "="),
                            ExcludeElement::expr("tstzrange(starts_at, ends_at, '[]')", "&&"),
                        ],
                    )
                    .using("gist"),
                )
                .exclude(
                    Exclude::new("one_id", vec![ExcludeElement::column("id", "=")])
                        .using("btree")
                        .include(["room_id"]),
                ),
        );
        db.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            .await?;
        db.execute_all(&Postgres.create_all(&model)?).await?;
        let read = introspect(db.pg_pool(), &IntrospectOptions::default()).await?;
        let d = diff_with(&read, &model, &DiffOptions::default(), &PgCompare);
        assert!(d.is_empty(), "{}", d.log.join("\n"));
        // And the constraint holds: two overlapping bookings of room 1 are refused.
        db.execute(
            "INSERT INTO bookings VALUES (1, 1, '2026-01-01 10:00Z', '2026-01-01 11:00Z', false)",
        )
        .await?;
        let clash = db
            .execute(
                "INSERT INTO bookings VALUES (2, 1, '2026-01-01 10:30Z', '2026-01-01 12:00Z', false)",
            )
            .await;
        assert!(
            clash.is_err_and(|e| e.to_string().contains("one_room_at_a_time")),
            "the overlap was accepted"
        );
        Ok(())
    }
);

#[test]
fn postgres_spells_the_constraint_in_create_table_and_add_constraint() {
    let model = MetaData::new().table(bookings().exclude(no_overlap()));
    let sql = Postgres.create_all(&model).unwrap().join("\n");
    assert!(
        sql.contains(
            "CONSTRAINT no_overlap EXCLUDE USING gist ((tstzrange(starts_at, ends_at)) WITH &&) \
             WHERE (NOT cancelled) DEFERRABLE INITIALLY DEFERRED"
        ),
        "{sql}"
    );
    let add = Postgres
        .add_constraint(
            TableName::new(None, "bookings"),
            &retort_core::ops::Constraint::Exclude(
                Exclude::new("one_room", vec![ExcludeElement::column("room_id", "=")])
                    .using("btree"),
            ),
        )
        .unwrap();
    assert_eq!(
        add,
        "ALTER TABLE bookings ADD CONSTRAINT one_room EXCLUDE USING btree (room_id WITH =)"
    );
    // The operator is written as is, so it must be one.
    let bad = Exclude::new("x", vec![ExcludeElement::column("room_id", "= 1) --")]);
    let err = Postgres.exclude_clause("bookings", &bad).unwrap_err();
    assert!(err.to_string().contains("the operator `= 1) --`"), "{err}");
}

#[test]
fn sqlite_refuses_an_exclusion_constraint_naming_table_and_constraint() {
    let model = MetaData::new().table(bookings().exclude(no_overlap()));
    let err = Sqlite.create_all(&model).unwrap_err();
    assert!(matches!(err, DialectError::Unsupported { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("the exclusion constraint `no_overlap` on table `bookings`")
            && msg.contains("exclusion constraints are PostgreSQL's"),
        "{msg}"
    );
    let op = Op::CreateExcludeConstraint {
        schema: None,
        table: "bookings".into(),
        exclude: no_overlap(),
    };
    let md = MetaData::new().table(bookings());
    let err = Sqlite.render_op(&op, &md).unwrap_err().to_string();
    assert!(
        err.contains("the exclusion constraint `no_overlap` on table `bookings`"),
        "{err}"
    );
}

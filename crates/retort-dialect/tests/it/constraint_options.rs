//! Unique constraint options: PostgreSQL spells them, SQLite (which cannot check a unique
//! constraint late or treat NULLs as equal) refuses them with a hint rather than creating a
//! constraint that means less.

use retort_core::{Column, Deferrable, MetaData, Table, Type, Unique};
use retort_dialect::{Dialect, DialectError, Postgres, Sqlite};

fn model(unique: Unique) -> MetaData {
    let mut t = Table::new("seats")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("code", Type::Text))
        .primary_key(["id"]);
    t.uniques.push(unique);
    MetaData::new().table(t)
}

#[test]
fn postgres_spells_deferrable_and_nulls_not_distinct() {
    let md = model(
        Unique::new(["code"])
            .name("uq_code")
            .nulls_not_distinct()
            .deferrable(Deferrable::InitiallyDeferred),
    );
    let sql = Postgres.create_all(&md).unwrap().join("\n");
    assert!(
        sql.contains(
            "CONSTRAINT uq_code UNIQUE NULLS NOT DISTINCT (code) DEFERRABLE INITIALLY DEFERRED"
        ),
        "{sql}"
    );
}

#[test]
fn sqlite_refuses_what_it_cannot_check_with_a_hint() {
    for (unique, what, hint) in [
        (
            Unique::new(["code"]).deferrable(Deferrable::InitiallyImmediate),
            "DEFERRABLE on the unique constraint (unnamed) (code)",
            "leave `deferrable` out for SQLite",
        ),
        (
            Unique::new(["code"]).name("uq_code").nulls_not_distinct(),
            "NULLS NOT DISTINCT on the unique constraint uq_code (code)",
            "coalesce(column",
        ),
    ] {
        let err = Sqlite.create_all(&model(unique)).unwrap_err();
        assert!(matches!(err, DialectError::Unsupported { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(what) && msg.contains(hint), "{msg}");
    }
}

#[test]
fn a_collation_follows_the_type_and_is_changed_by_restating_it() {
    use retort_core::ops::{AlterColumn, Op};
    let mut t = Table::new("words")
        .column(Column::new("id", Type::Integer).not_null())
        .column(
            Column::new("code", Type::Varchar(Some(10)))
                .not_null()
                .collation("C"),
        )
        .primary_key(["id"]);
    t.uniques.clear();
    let md = MetaData::new().table(t);
    let sql = Postgres.create_all(&md).unwrap().join("\n");
    assert!(
        sql.contains(r#"code VARCHAR(10) COLLATE "C" NOT NULL"#),
        "{sql}"
    );
    let lite = Sqlite.create_all(&md).unwrap().join("\n");
    assert!(
        lite.contains(r#"code VARCHAR(10) COLLATE "C" NOT NULL"#),
        "{lite}"
    );

    let mut reset = AlterColumn::new("words", "code");
    reset.collation = Some(None);
    reset.existing_collation = Some(Some("C".into()));
    let sql = Postgres.render_op(&Op::AlterColumn(reset), &md).unwrap();
    assert_eq!(
        sql,
        [r#"ALTER TABLE words ALTER COLUMN code TYPE VARCHAR(10) COLLATE "default""#]
    );
}

#[test]
fn a_unique_index_can_treat_nulls_as_equal_on_postgres_only() {
    use retort_core::Index;
    let md = MetaData::new().table(
        Table::new("seats")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("code", Type::Text))
            .primary_key(["id"])
            .index(
                Index::on_columns(["code"])
                    .name("ix_code")
                    .unique()
                    .nulls_not_distinct(),
            ),
    );
    let sql = Postgres.create_all(&md).unwrap().join("\n");
    assert!(
        sql.contains("CREATE UNIQUE INDEX ix_code ON seats (code) NULLS NOT DISTINCT"),
        "{sql}"
    );
    let err = Sqlite.create_all(&md).unwrap_err().to_string();
    assert!(
        err.contains("NULLS NOT DISTINCT on the index ix_code") && err.contains("coalesce"),
        "{err}"
    );
}

/// A foreign key's `MATCH FULL`: PostgreSQL spells it, and so does SQLite, which checks every
/// key as `MATCH SIMPLE` but keeps the clause in its stored `CREATE TABLE` text (where the read
/// finds it again); MySQL, which keeps nothing of it, refuses it with a hint.
#[test]
fn match_full_is_spelled_by_postgres_and_sqlite_and_refused_by_mysql() {
    use retort_core::{FkAction, FkMatch, ForeignKey};
    use retort_dialect::Mysql;
    let md = MetaData::new()
        .table(
            Table::new("pairs")
                .column(Column::new("a", Type::Integer).not_null())
                .column(Column::new("b", Type::Integer).not_null())
                .primary_key(["a", "b"]),
        )
        .table(
            Table::new("uses")
                .column(Column::new("a", Type::Integer))
                .column(Column::new("b", Type::Integer))
                .foreign_key(
                    ForeignKey::new(["a", "b"], "pairs", ["a", "b"])
                        .name("uses_pair_fkey")
                        .on_delete(FkAction::Cascade)
                        .match_type(FkMatch::Full),
                ),
        );
    for sql in [Postgres.create_all(&md), Sqlite.create_all(&md)] {
        let sql = sql.unwrap().join("\n");
        assert!(
            sql.contains(
                "CONSTRAINT uses_pair_fkey FOREIGN KEY (a, b) REFERENCES pairs (a, b) MATCH FULL ON DELETE CASCADE"
            ),
            "{sql}"
        );
    }
    let err = Mysql.create_all(&md).unwrap_err();
    assert!(matches!(err, DialectError::Unsupported { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("MATCH FULL")
            && msg.contains("MATCH SIMPLE")
            && msg.contains("leave `match` out"),
        "MySQL: {msg}"
    );
}

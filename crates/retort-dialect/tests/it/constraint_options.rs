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

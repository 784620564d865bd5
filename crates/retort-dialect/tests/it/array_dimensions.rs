//! Arrays on a real PostgreSQL 15: the dimensions a column was declared with read back, and
//! a column whose dimensions PostgreSQL did not record (`CREATE TABLE AS` stores none) is still
//! the same type, since PostgreSQL keeps one array type whatever the dimensions.

use retort_core::diff::{diff_with, DiffOptions};
use retort_core::{Column, MetaData, Table, Type};
use retort_dialect::postgres::introspect::{IntrospectOptions, PgCompare};
use retort_dialect::{Dialect, Postgres};
use retort_testkit::db_test;

use crate::introspect::introspect;

fn grid_table(name: &str) -> Table {
    Table::new(name)
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new(
            "grid",
            Type::array(Type::array(Type::Varchar(Some(20)))),
        ))
        .column(Column::new("tags", Type::array(Type::Varchar(None))))
        .primary_key(["id"])
}

db_test!(
    array_dimensions_read_back_and_are_not_compared,
    [postgres],
    |db| {
        let model = MetaData::new().table(grid_table("boards"));
        db.execute_all(&Postgres.create_all(&model)?).await?;
        // Same columns, no recorded dimensions.
        db.execute("CREATE TABLE copies AS SELECT * FROM boards")
            .await?;
        let read = introspect(db.pg_pool(), &IntrospectOptions::default()).await?;

        let boards = read.get_table(None, "boards").expect("boards");
        assert_eq!(
            boards.get_column("grid").map(|c| &c.ty),
            Some(&Type::array(Type::array(Type::Varchar(Some(20))))),
            "attndims 2 reads back as two dimensions"
        );
        let copies = read.get_table(None, "copies").expect("copies");
        assert_eq!(
            copies.get_column("grid").map(|c| &c.ty),
            Some(&Type::array(Type::Varchar(Some(20)))),
            "no recorded dimensions read back as one"
        );

        // The model's two dimensions equal both.
        let mut copies_model = grid_table("copies");
        copies_model.primary_key = None;
        copies_model.columns[0].nullable = true;
        let whole = MetaData::new()
            .table(grid_table("boards"))
            .table(copies_model);
        let diff = diff_with(&read, &whole, &DiffOptions::default(), &PgCompare);
        assert!(diff.is_empty(), "changes: {:?}", diff.log);
        Ok(())
    }
);

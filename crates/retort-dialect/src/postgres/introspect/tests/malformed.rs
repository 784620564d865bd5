//! Rows that cannot be read are errors that name the query, object and value.

use crate::postgres::introspect::IntrospectError;

use super::*;

#[test]
fn malformed_rows_are_errors_naming_the_query_and_value() {
    let mut short = column("public", "t", 1, "id", "integer").row();
    short.pop();
    let err = build_metadata(
        &CatalogRows {
            columns: vec![short],
            ..CatalogRows::default()
        },
        &IntrospectOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        IntrospectError::RowWidth {
            query: "queries/postgres/columns.sql",
            expected: 29,
            found: 28
        }
    );

    let bad_flag = column("public", "t", 1, "id", "integer")
        .set(6, "maybe")
        .row();
    let err = build_metadata(
        &CatalogRows {
            columns: vec![bad_flag],
            ..CatalogRows::default()
        },
        &IntrospectOptions::default(),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("columns.sql") && msg.contains("public.t") && msg.contains("maybe"),
        "{msg}"
    );

    let bad_array = constraint("t", "t_pkey", "p", "id").row();
    let err = build_metadata(
        &CatalogRows {
            columns: vec![column("public", "t", 1, "id", "integer").row()],
            constraints: vec![bad_array],
            ..CatalogRows::default()
        },
        &IntrospectOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("not a text array"), "{err}");
}

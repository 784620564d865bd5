//! Sequences: a serial column's is its column's; every other one is standalone.

use retort_core::{Sequence, Serial, ServerDefault, Type};

use super::*;

fn nextval_column(table: &str, attnum: u32, name: &str, ty: &str, seq: &str) -> R {
    column("public", table, attnum, name, ty)
        .set(6, "true")
        .set(7, &format!("nextval('{seq}'::regclass)"))
}

fn owned(r: R, table: &str, column: &str) -> R {
    r.set(9, "public").set(10, table).set(11, column)
}

#[test]
fn an_owned_sequence_its_column_uses_is_a_serial_and_the_rest_are_standalone() {
    let rows = CatalogRows {
        columns: vec![
            nextval_column("t", 1, "id", "integer", "t_id_seq"),
            nextval_column("t", 2, "n", "bigint", "custom_n"),
            nextval_column("t", 3, "shared", "bigint", "shared_seq"),
            column("public", "t", 4, "plain", "integer"),
            nextval_column("t", 5, "narrow", "integer", "wide_seq"),
        ]
        .into_iter()
        .map(R::row)
        .collect(),
        sequences: vec![
            owned(sequence("t_id_seq", "integer"), "t", "id")
                .set(12, "41")
                .row(),
            owned(sequence("custom_n", "bigint"), "t", "n")
                .set(3, "10")
                .set(4, "5")
                .set(5, "10")
                .set(8, "3")
                .row(),
            sequence("shared_seq", "bigint").row(),
            owned(sequence("orphan_seq", "integer"), "t", "plain").row(),
            // An integer column on a bigint sequence (as PostgreSQL 9 made serials): not
            // a serial of the column's type, so kept whole as a standalone sequence.
            owned(sequence("wide_seq", "bigint"), "t", "narrow").row(),
        ],
        ..Default::default()
    };
    let md = build_metadata(&rows, &IntrospectOptions::default()).unwrap();
    let t = md.get_table(None, "t").unwrap();
    let col = |n: &str| t.get_column(n).unwrap();

    assert_eq!(
        col("id").serial.as_deref(),
        Some(&Serial::new().last_value(41))
    );
    assert_eq!(col("id").server_default, None);
    assert!(!col("id").nullable);
    // START 10 is the default start over MINVALUE 10, so the minimal form leaves it out.
    assert_eq!(
        col("n").serial.as_deref(),
        Some(
            &Serial::new()
                .name("custom_n")
                .increment(5)
                .minvalue(10)
                .cache(3)
        )
    );
    assert_eq!(
        col("shared").server_default,
        Some(ServerDefault::expr("nextval('shared_seq'::regclass)"))
    );
    assert_eq!(col("shared").serial.as_deref(), None);
    assert_eq!(col("narrow").serial.as_deref(), None);

    assert_eq!(
        md.sequences(),
        [
            Sequence::new("orphan_seq")
                .data_type(Type::Integer)
                .owned_by("t", "plain"),
            Sequence::new("shared_seq"),
            Sequence::new("wide_seq").owned_by("t", "narrow"),
        ]
    );
}

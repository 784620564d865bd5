//! Sequences: standalone ones created, altered and dropped, a serial column's sequence in a
//! table and on a kept column, with schemas, options and recorded last values.

use retort_core::ops::Op;
use retort_core::{Column, Sequence, Serial, Table, Type};

use super::{header, reversed, s, Case};

pub(super) fn sequences() -> Case {
    let order_no = Sequence::new("order_no_seq")
        .data_type(Type::Integer)
        .start(1000)
        .increment(10)
        .cache(20);
    let upgrade = vec![
        Op::CreateSequence {
            sequence: order_no.clone(),
        },
        Op::CreateSequence {
            sequence: Sequence::new("ticket_seq")
                .schema("shop")
                .minvalue(-100)
                .maxvalue(100)
                .cycle(),
        },
        Op::AlterSequence {
            sequence: Sequence::new("invoice_seq").increment(2),
            existing: Some(Sequence::new("invoice_seq")),
        },
        Op::DropSequence {
            schema: s("shop"),
            name: "old_seq".into(),
            existing: Some(Sequence::new("old_seq").schema("shop").last_value(41)),
        },
        Op::CreateTable {
            table: Table::new("studies")
                .column(Column::new("study_id", Type::Integer).serial(Serial::new()))
                .column(
                    Column::new("n", Type::SmallInt)
                        .serial(Serial::new().name("studies_n").increment(5).last_value(20)),
                )
                .primary_key(["study_id"]),
        },
        Op::DropSequence {
            schema: None,
            name: "tags_id_seq".into(),
            existing: Some(
                Sequence::new("tags_id_seq")
                    .data_type(Type::Integer)
                    .owned_by("tags", "id"),
            ),
        },
    ];
    Case {
        name: "sequences",
        header: header(
            "ae0c5e9a1b20",
            &["9d0e1f2a3b4c"],
            "Sequences and serial columns",
        ),
        downgrade: reversed(&upgrade),
        upgrade,
        hints: Vec::new(),
    }
}

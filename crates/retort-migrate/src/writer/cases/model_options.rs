//! What issue 11 taught the model to say: identity sequence options, arrays nested and sized,
//! and index elements with order, NULLS placement, collation and operator class.

use retort_core::ops::{AlterColumn, Op};
use retort_core::{Column, Identity, Index, IndexElement, Table, Type};

use super::{header, reversed, Case};

pub(super) fn model_options() -> Case {
    let tickets = Table::new("tickets")
        .column(
            Column::new("id", Type::Integer).identity(
                Identity::always()
                    .start(10)
                    .minvalue(10)
                    .maxvalue(1_000_000)
                    .cycle()
                    .cache(20),
            ),
        )
        .column(Column::new("tags", Type::array(Type::Varchar(None))).not_null())
        .column(Column::new(
            "grid",
            Type::array(Type::array(Type::Varchar(Some(20)))),
        ))
        .column(Column::new("title", Type::Text).not_null())
        .primary_key(["id"]);
    let mut identity = AlterColumn::new("tickets", "id");
    identity.existing_type = Some(Type::Integer);
    identity.identity = Some(Some(
        Identity::always()
            .start(10)
            .minvalue(10)
            .maxvalue(2_000_000),
    ));
    identity.existing_identity = Some(Some(
        Identity::always()
            .start(10)
            .minvalue(10)
            .maxvalue(1_000_000)
            .cycle()
            .cache(20),
    ));
    let upgrade = vec![
        Op::CreateTable { table: tickets },
        Op::CreateIndex {
            schema: None,
            table: "tickets".into(),
            index: Index::on(vec![
                IndexElement::column("id").desc().nulls_last(),
                IndexElement::column("title")
                    .collate("C")
                    .opclass("text_pattern_ops"),
                IndexElement::expr("lower(title)")
                    .collate("C")
                    .asc()
                    .nulls_first(),
            ])
            .name("ix_tickets_title"),
            concurrently: false,
        },
        Op::AlterColumn(identity),
    ];
    Case {
        name: "model_options",
        header: header(
            "d4e5f6a7b8c9",
            &["c3d4e5f6a7b8"],
            "Identity options, arrays, index elements",
        ),
        downgrade: reversed(&upgrade),
        upgrade,
        hints: Vec::new(),
    }
}

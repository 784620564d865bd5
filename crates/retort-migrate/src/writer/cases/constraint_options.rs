//! Unique constraint options (`DEFERRABLE`, `NULLS NOT DISTINCT`) in every place a unique
//! constraint is written: the table builder, `create_unique_constraint` and a drop's
//! `existing`; a foreign key's `MATCH FULL` in the table builder and `create_foreign_key`;
//! and column collations (a column's, an alter's set, reset and old value).

use retort_core::ops::{AlterColumn, Op};
use retort_core::{Column, Deferrable, FkMatch, ForeignKey, Index, Table, Type, Unique};

use super::{header, reversed, Case};

pub(super) fn constraint_options() -> Case {
    let mut table = Table::new("seats")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("code", Type::Text).collation("C"))
        .column(Column::new("label", Type::Text))
        .column(Column::new("row_no", Type::Integer))
        .column(Column::new("seat_no", Type::Integer))
        .primary_key(["id"])
        .foreign_key(
            ForeignKey::new(["row_no", "seat_no"], "places", ["row_no", "seat_no"])
                .name("fk_seats_place")
                .match_type(FkMatch::Full),
        )
        .index(
            Index::on_columns(["label"])
                .name("ix_seats_label")
                .unique()
                .nulls_not_distinct(),
        );
    table.uniques.push(
        Unique::new(["code"])
            .name("uq_seats_code")
            .deferrable(Deferrable::InitiallyDeferred)
            .nulls_not_distinct(),
    );
    let mut set = AlterColumn::new("seats", "label");
    set.collation = Some(Some("und-x-icu".into()));
    set.existing_collation = Some(None);
    set.existing_type = Some(Type::Text);
    let mut reset = AlterColumn::new("seats", "code");
    reset.collation = Some(None);
    reset.existing_collation = Some(Some("C".into()));
    reset.existing_type = Some(Type::Text);
    let upgrade = vec![
        Op::CreateTable { table },
        Op::CreateUniqueConstraint {
            schema: None,
            table: "seats".into(),
            unique: Unique::new(["id", "code"])
                .name("uq_seats_id_code")
                .deferrable(Deferrable::InitiallyImmediate),
        },
        Op::CreateIndex {
            schema: None,
            table: "seats".into(),
            index: Index::on_columns(["code"])
                .name("ix_seats_code")
                .unique()
                .nulls_not_distinct(),
            concurrently: false,
        },
        Op::CreateForeignKey {
            schema: None,
            table: "seats".into(),
            foreign_key: ForeignKey::new(["id", "code"], "tickets", ["seat_id", "code"])
                .name("fk_seats_ticket")
                .deferrable(Deferrable::InitiallyDeferred)
                .match_type(FkMatch::Full),
            not_valid: false,
        },
        Op::AlterColumn(set),
        Op::AlterColumn(reset),
    ];
    let downgrade = reversed(&upgrade);
    Case {
        name: "constraint_options",
        header: header("9d0e1f2a3b4c", &["8c9d0e1f2a3b"], "Constraint options"),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

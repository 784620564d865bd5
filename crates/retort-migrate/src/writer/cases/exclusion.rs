//! Exclusion constraints (PostgreSQL) in every place one is written: the table builder's
//! `t.exclude(..)`, `create_exclude_constraint` with its options, and a drop's `existing`
//! (`Constraint::Exclude(..)`), with element options (`DESC NULLS LAST`, an opclass).

use retort_core::ops::{Constraint, ConstraintKind, Op};
use retort_core::{Column, Deferrable, Exclude, ExcludeElement, IndexElement, Table, Type};

use super::{header, reversed, Case};

pub(super) fn exclusion() -> Case {
    let table = Table::new("bookings")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("room_id", Type::Integer).not_null())
        .column(Column::new("during", Type::custom("tstzrange")).not_null())
        .column(Column::new("cancelled", Type::Boolean).not_null())
        .primary_key(["id"])
        .exclude(
            Exclude::new(
                "no_overlap",
                vec![
                    ExcludeElement::column("room_id", "="),
                    ExcludeElement::expr("tstzrange(lower(during), upper(during))", "&&"),
                ],
            )
            .predicate("NOT cancelled")
            .deferrable(Deferrable::InitiallyDeferred),
        );
    let upgrade = vec![
        Op::CreateTable { table },
        Op::CreateExcludeConstraint {
            schema: None,
            table: "bookings".into(),
            exclude: Exclude::new(
                "one_id",
                vec![ExcludeElement::new(
                    IndexElement::column("id").desc().nulls_last(),
                    "=",
                )],
            )
            .using("btree")
            .include(["room_id"]),
        },
        Op::CreateExcludeConstraint {
            schema: Some("app".into()),
            table: "rooms".into(),
            exclude: Exclude::new(
                "one_name",
                vec![ExcludeElement::new(
                    IndexElement::expr("lower(name)").opclass("text_pattern_ops"),
                    "=",
                )],
            )
            .using("btree"),
        },
        Op::DropConstraint {
            schema: None,
            table: "bookings".into(),
            name: "no_overlap".into(),
            kind: ConstraintKind::Exclude,
            existing: Some(Constraint::Exclude(
                Exclude::new("no_overlap", vec![ExcludeElement::column("during", "&&")])
                    .predicate("NOT cancelled"),
            )),
        },
    ];
    let downgrade = reversed(&upgrade);
    Case {
        name: "exclusion",
        header: header("e5f6a7b8c9d0", &["d4e5f6a7b8c9"], "Exclusion constraints"),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

//! Table inheritance and storage parameters (PostgreSQL) in every place they are written:
//! the table builder's `t.inherits(..)`, `t.with(..)` and `.inherited()` columns, `.with(..)`
//! on its key, unique constraint and index, `inherit`/`no_inherit`, `set_table_storage` and
//! `set_index_storage` with their old parameters, and a drop's `existing` key; parents whose
//! names hold a `.` or a `,` (written with the schema apart).

use retort_core::ops::{Constraint, ConstraintKind, Op};
use retort_core::{Column, Index, PrimaryKey, Table, TableRef, Type, Unique};

use super::{header, reversed, s, Case};

pub(super) fn inheritance() -> Case {
    let mut payment = Table::new("payment")
        .column(Column::new("payment_id", Type::Integer).not_null())
        .column(Column::new("amount", Type::numeric(5, 2)).not_null())
        .with("fillfactor", "70")
        .with("autovacuum_enabled", "false")
        .index(
            Index::on_columns(["amount"])
                .name("ix_payment_amount")
                .with("fillfactor", "90"),
        );
    payment.primary_key = Some(
        PrimaryKey::new(["payment_id"])
            .name("payment_pkey")
            .with("fillfactor", "100"),
    );
    payment.uniques = vec![Unique::new(["amount", "payment_id"])
        .name("uq_payment")
        .with("fillfactor", "80")];
    let child = Table::new("payment_p2007_01")
        .schema("archive")
        .column(
            Column::new("payment_id", Type::Integer)
                .not_null()
                .inherited(),
        )
        .column(
            Column::new("amount", Type::numeric(5, 2))
                .not_null()
                .inherited(),
        )
        .column(Column::new("note", Type::Text))
        .inherits("public.payment");
    // Parents whose schema or name holds a `.` or a `,`: the text form would split them.
    let mut odd_child = Table::new("odd_child").column(
        Column::new("payment_id", Type::Integer)
            .not_null()
            .inherited(),
    );
    odd_child.inherits = vec![
        TableRef::new(Some("s.1"), "pa\"r, x"),
        TableRef::new(None, "a.b"),
    ];
    let upgrade = vec![
        Op::CreateTable { table: payment },
        Op::CreateTable { table: child },
        Op::CreateTable { table: odd_child },
        Op::Inherit {
            schema: s("archive"),
            table: "payment_loose".into(),
            parent: TableRef::new(Some("public"), "payment"),
        },
        Op::Inherit {
            schema: None,
            table: "payment_loose".into(),
            parent: TableRef::new(None, "a.b"),
        },
        Op::SetStorage {
            schema: None,
            table: "payment".into(),
            index: None,
            with: vec![("fillfactor".into(), "60".into())],
            existing: Some(vec![
                ("fillfactor".into(), "70".into()),
                ("autovacuum_enabled".into(), "false".into()),
            ]),
        },
        Op::SetStorage {
            schema: None,
            table: "payment".into(),
            index: s("payment_pkey"),
            with: Vec::new(),
            existing: Some(vec![("fillfactor".into(), "100".into())]),
        },
        Op::CreatePrimaryKey {
            schema: None,
            table: "rental".into(),
            primary_key: PrimaryKey::new(["rental_id"])
                .name("rental_pkey")
                .with("fillfactor", "100"),
        },
        Op::CreateUniqueConstraint {
            schema: None,
            table: "rental".into(),
            unique: Unique::new(["code"])
                .name("uq_rental_code")
                .with("fillfactor", "90"),
        },
        Op::CreateIndex {
            schema: None,
            table: "rental".into(),
            index: Index::on_columns(["code"])
                .name("ix_rental_code")
                .with("fillfactor", "90"),
            concurrently: false,
        },
        Op::DropConstraint {
            schema: None,
            table: "store".into(),
            name: "store_pkey".into(),
            kind: ConstraintKind::PrimaryKey,
            existing: Some(Constraint::PrimaryKey(
                PrimaryKey::new(["store_id"])
                    .name("store_pkey")
                    .with("fillfactor", "100"),
            )),
        },
    ];
    Case {
        name: "inheritance",
        header: header(
            "a1b2c3d4e5f6",
            &["5cc88b64dda9"],
            "Partitions by inheritance",
        ),
        downgrade: reversed(&upgrade),
        upgrade,
        hints: Vec::new(),
    }
}

//! The online-safe forms as `revision --autogenerate --online` writes them on PostgreSQL
//! (`online_rewrite`): a foreign key and a check `.not_valid()` with their
//! `validate_constraint` at the end, and a `SET NOT NULL` (with a type change in the same
//! alter, kept apart) through a validated check named by `conv`; a type change that rewrites
//! the table through the three steps of an add-copy-swap.

use retort_core::ops::{online_rewrite, AlterColumn, Op};
use retort_core::{Check, Column, ForeignKey, MetaData, Table, Type};

use super::{header, reversed, Case};

pub(super) fn online() -> Case {
    let mut not_null = AlterColumn::new("orders", "note");
    not_null.nullable = Some(false);
    not_null.existing_nullable = Some(true);
    not_null.type_ = Some(Type::Text);
    not_null.existing_type = Some(Type::Varchar(Some(200)));
    let mut widen = AlterColumn::new("orders", "amount");
    widen.type_ = Some(Type::BigInt);
    widen.existing_type = Some(Type::Integer);
    widen.using = Some("amount::bigint * 100".into());
    let plain = vec![
        Op::CreateForeignKey {
            schema: None,
            table: "orders".into(),
            foreign_key: ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                .name("fk_orders_customer"),
            not_valid: false,
        },
        Op::CreateCheckConstraint {
            schema: Some("billing".into()),
            table: "invoices".into(),
            check: Check::new("total >= 0").name("ck_invoices_total"),
            not_valid: false,
        },
        Op::AlterColumn(not_null),
        Op::AlterColumn(widen),
    ];
    // The model gives `orders` the one-column key the swap batches by.
    let model = MetaData::new().table(
        Table::new("orders")
            .column(Column::new("id", Type::Integer).not_null())
            .column(Column::new("note", Type::Text).not_null())
            .column(Column::new("amount", Type::BigInt))
            .primary_key(["id"]),
    );
    let upgrade = online_rewrite(plain, &model);
    let downgrade = reversed(&upgrade);
    Case {
        name: "online",
        header: header("5e0a11ce0b01", &["4d3d9e7a1b20"], "Online-safe forms"),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

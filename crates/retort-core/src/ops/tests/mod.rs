//! Unit tests of the ops module (no I/O): recording, reverses, symbolic apply, the
//! apply-then-reverse round trip of every op kind, and error messages.

mod apply;
mod describe;
mod entities;
mod exclude;
mod existing;
mod record;
mod reverse;
mod round_trip;

use crate::{
    Check, Column, EnumType, FkAction, ForeignKey, Identity, Index, MetaData, ServerDefault, Table,
    Type,
};

/// customers <- orders (FK, cascade), an enum type used by orders.status, an index, a
/// unique and a check constraint: one of each thing an op can touch.
pub(super) fn shop() -> MetaData {
    MetaData::new()
        .enum_type(EnumType::new("order_status", ["new", "paid"]))
        .table(
            Table::new("customers")
                .column(Column::new("customer_id", Type::Integer).identity(Identity::always()))
                .column(Column::new("email", Type::Varchar(None)).not_null())
                .primary_key(["customer_id"])
                .unique(["email"]),
        )
        .table(
            Table::new("orders")
                .column(Column::new("order_id", Type::Integer).identity(Identity::always()))
                .column(Column::new("customer_id", Type::Integer).not_null())
                .column(
                    Column::new("order_date", Type::Timestamp { tz: true })
                        .not_null()
                        .server_default(ServerDefault::expr("now()")),
                )
                .column(Column::new("status", Type::enumeration("order_status")))
                .column(Column::new("note", Type::Text))
                .primary_key(["order_id"])
                .foreign_key(
                    ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                        .name("fk_orders_customer")
                        .on_delete(FkAction::Cascade),
                )
                .check(Some("ck_orders_note"), "length(note) < 500")
                .index(Index::on_columns(["customer_id"])),
        )
}

pub(super) fn table<'m>(md: &'m MetaData, name: &str) -> &'m Table {
    md.get_table(None, name)
        .unwrap_or_else(|| panic!("fixture has table {name}"))
}

pub(super) fn check_named(name: &str, expr: &str) -> Check {
    Check {
        conv: false,
        name: Some(name.into()),
        expr: expr.into(),
    }
}

//! A column type change by add-copy-swap (`Op::SwapColumnType`, `docs/online.md`): the SQL
//! of its three steps and of its reverse on PostgreSQL (snapshot), and the refusals: other
//! dialects, a table without a primary key, a column an index uses.

use retort_core::ops::{reverse_all, ColumnSwap, Op};
use retort_core::{Column, Index, MetaData, ServerDefault, Table, Type};
use retort_dialect::{Dialect, Mysql, Postgres, Sqlite};

fn orders() -> Table {
    Table::new("orders")
        .column(Column::new("id", Type::Integer).not_null())
        .column(
            Column::new("amount", Type::Integer)
                .not_null()
                .server_default(ServerDefault::Expr("0".into()))
                .comment("in cents"),
        )
        .primary_key(["id"])
}

fn swap() -> Vec<Op> {
    ColumnSwap::ops(
        None,
        "orders",
        "amount",
        Type::BigInt,
        Some(Type::Integer),
        Some("amount::bigint * 10".into()),
    )
    .into()
}

fn rendered(d: &dyn Dialect, ops: &[Op], mut md: MetaData) -> String {
    let mut out = String::new();
    for op in ops {
        out.push_str(&format!("-- {}\n", op.describe()));
        match d.render_op(op, &md) {
            Ok(stmts) => {
                for s in stmts {
                    out.push_str(&format!("{s};\n"));
                }
            }
            Err(e) => out.push_str(&format!("-- error: {e}\n")),
        }
        if d.op_needs_autocommit(op) {
            out.push_str("-- (outside a transaction)\n");
        }
        op.apply(&mut md).expect("replays");
    }
    out
}

#[test]
fn the_three_steps_and_their_reverse_on_postgres() {
    let md = MetaData::new().table(orders());
    let up = swap();
    let mut after = md.clone();
    for op in &up {
        op.apply(&mut after).expect("replays");
    }
    let mut down = reverse_all(&up).expect("reverses");
    for op in &mut down {
        if let Op::SwapColumnType(s) = op {
            s.using = Some("amount / 10".into());
        }
    }
    let out = format!(
        "---- upgrade\n{}---- downgrade\n{}",
        rendered(&Postgres, &up, md),
        rendered(&Postgres, &down, after)
    );
    insta::assert_snapshot!(out);
}

#[test]
fn other_dialects_and_unfit_tables_are_refused_by_name() {
    let md = MetaData::new().table(orders());
    for d in [&Sqlite as &dyn Dialect, &Mysql] {
        let e = d.render_op(&swap()[0], &md).unwrap_err().to_string();
        assert!(
            e.contains("orders.amount") && e.contains("alter_column"),
            "{e}"
        );
    }
    let mut no_key = orders();
    no_key.primary_key = None;
    let e = Postgres
        .render_op(&swap()[0], &MetaData::new().table(no_key))
        .unwrap_err()
        .to_string();
    assert!(e.contains("table `orders` has no primary key"), "{e}");
    assert!(e.contains("add a primary key to `orders`"), "{e}");
    let indexed = orders().index(Index::on_columns(["amount"]).name("ix_orders_amount"));
    for op in swap() {
        let e = Postgres
            .render_op(&op, &MetaData::new().table(indexed.clone()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("index `ix_orders_amount`"), "{e}");
    }
}

//! Tables added and removed, and a rich model that compares clean with itself.

use super::support::*;
use crate::diff::{diff, DiffOptions, RenameKind};
use crate::ops::Op;
use crate::{
    Check, Column, Computed, EnumType, FkAction, ForeignKey, Identity, Index, MetaData,
    ServerDefault, Table, Type,
};

/// Every object kind at once, cycles and other schemas included.
pub fn rich() -> MetaData {
    md().enum_type(EnumType::new("status", ["new", "paid"]))
        .table(
            customers()
                .column(Column::new("email", Type::Varchar(Some(200))).comment("login"))
                .unique(["email"])
                .check(Some("name_not_empty"), "length(name) > 0")
                .comment("who buys"),
        )
        .table(
            orders()
                .column(
                    Column::new("status", Type::enumeration("status"))
                        .server_default(ServerDefault::text("new")),
                )
                .column(
                    Column::new("placed", Type::Timestamp { tz: true })
                        .server_default(ServerDefault::expr("now()")),
                )
                .column(Column::new("total", Type::numeric(10, 2)))
                .column(
                    Column::new("doubled", Type::numeric(12, 2))
                        .computed(Computed::stored("total * 2")),
                )
                .index(
                    Index::on_columns(["customer_id", "placed"]).name("ix_orders_customer_placed"),
                )
                .index(
                    Index::on_columns(["status"])
                        .name("ix_partial")
                        .predicate("status = 'new'"),
                ),
        )
        .table(
            Table::new("a")
                .column(Column::new("id", Type::BigInt).identity(Identity::always()))
                .column(Column::new("b_id", Type::BigInt))
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["b_id"], "b", ["id"]).on_delete(FkAction::Cascade)),
        )
        .table(
            Table::new("b")
                .column(Column::new("id", Type::BigInt).identity(Identity::by_default().start(10)))
                .column(Column::new("a_id", Type::BigInt))
                .primary_key(["id"])
                .foreign_key(ForeignKey::new(["a_id"], "a", ["id"])),
        )
        .table(
            Table::new("audit")
                .schema("ops")
                .column(int("id"))
                .column(Column::new("parent_id", Type::Integer))
                .primary_key(["id"])
                .foreign_key(
                    ForeignKey::new(["parent_id"], "audit", ["id"]).name("audit_parent_fk"),
                ),
        )
}

#[test]
fn a_rich_model_compares_clean_with_itself() {
    let m = rich();
    let d = diff(&m, &m, &DiffOptions::default());
    assert!(d.ops.is_empty(), "{:#?}", d.ops);
    assert!(d.log.is_empty() && d.hints.is_empty() && d.warnings.is_empty());
}

#[test]
fn column_and_constraint_order_alone_is_no_difference() {
    let m = rich();
    let mut shuffled = m.clone();
    for t in shuffled.tables_mut() {
        t.columns.reverse();
        t.indexes.reverse();
        t.foreign_keys.reverse();
    }
    shuffled.tables_mut().reverse();
    assert!(diff(&m, &shuffled, &DiffOptions::default()).ops.is_empty());
    assert!(diff(&shuffled, &m, &DiffOptions::default()).ops.is_empty());
}

#[test]
fn from_nothing_to_a_rich_model_and_back() {
    let d = check(&md(), &rich());
    assert_eq!(
        d.log,
        [
            "Detected added schema 'ops'",
            "Detected added enum type 'status' ('new', 'paid')",
            // In rounds: what refers to nothing new first, in model order.
            "Detected added table 'customers'",
            "Detected added table 'a'",
            "Detected added table 'b'",
            "Detected added table 'ops.audit'",
            "Detected added table 'orders'",
        ]
    );
    // The a <-> b cycle: both tables without the cycle's keys, then the keys.
    let last: Vec<String> = described(&d).into_iter().rev().take(2).collect();
    assert!(
        last.iter().all(|s| s.starts_with("create foreign key")),
        "{last:?}"
    );
}

#[test]
fn an_added_table_is_created_and_a_removed_one_dropped_with_its_definition() {
    let before = md()
        .table(customers())
        .table(Table::new("legacy").column(int("x")));
    let after = md().table(customers()).table(orders());
    let d = check(&before, &after);
    assert_eq!(
        d.log,
        [
            "Detected removed table 'legacy'",
            "Detected added table 'orders'"
        ]
    );
    match &d.ops[0] {
        Op::DropTable {
            name,
            existing: Some(t),
            ..
        } => {
            assert_eq!(name, "legacy");
            assert_eq!(t.columns.len(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_table_of_the_same_shape_as_a_removed_one_gets_a_rename_hint() {
    let before = md().table(Table::new("clients").column(int("id")).column(text("name")));
    let after = md().table(
        Table::new("customers")
            .column(text("name"))
            .column(int("id")),
    );
    let d = check(&before, &after);
    assert_eq!(
        described(&d),
        ["drop table clients", "create table customers"]
    );
    assert_eq!(d.hints.len(), 1);
    assert_eq!(d.hints[0].kind, RenameKind::Table);
    assert_eq!(
        d.hints[0].suggestion(),
        "op.rename_table(\"clients\", \"customers\");"
    );
    assert!(d.hints[0].message().contains("op.rename_table"));
    // The log lists the two changes only: a hint is not a difference (issue 13, item 5).
    assert_eq!(d.log.len(), 2, "{:?}", d.log);
}

#[test]
fn table_comments_are_added_changed_and_removed() {
    let t = || Table::new("t").column(int("id"));
    let d = check(&md().table(t()), &md().table(t().comment("one")));
    assert_eq!(d.log, ["Detected added table comment on 't'"]);
    let d = check(
        &md().table(t().comment("one")),
        &md().table(t().comment("two")),
    );
    assert_eq!(d.log, ["Detected changed table comment on 't'"]);
    assert!(
        matches!(&d.ops[0], Op::CreateTableComment { existing_comment: Some(c), .. } if c == "one")
    );
    let d = check(&md().table(t().comment("one")), &md().table(t()));
    assert_eq!(d.log, ["Detected removed table comment on 't'"]);
}

#[test]
fn checks_survive_a_table_drop_and_create() {
    let t = Table::new("t").column(int("a")).check(Some("pos"), "a > 0");
    let d = check(&md().table(t.clone()), &md());
    match &d.ops[0] {
        Op::DropTable {
            existing: Some(x), ..
        } => assert_eq!(
            x.checks,
            vec![Check {
                conv: false,
                name: Some("pos".into()),
                expr: "a > 0".into()
            }]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_thousand_tables_compare_clean_and_are_created_in_order() {
    // The benchmark's shape: identity key, a foreign key to the previous table, a unique
    // column, a two-column index, server defaults.
    let mut m = md();
    for i in 0..1000 {
        let mut t = Table::new(format!("t{i}"))
            .column(Column::new("id", Type::Integer).identity(Identity::always()))
            .column(Column::new("code", Type::Varchar(Some(40))).not_null())
            .column(
                Column::new("at", Type::Timestamp { tz: true })
                    .server_default(ServerDefault::expr("now()")),
            )
            .column(Column::new("n", Type::Integer).server_default(ServerDefault::int(0)))
            .primary_key(["id"])
            .unique(["code"])
            .index(Index::on_columns(["code", "at"]).name(format!("ix_t{i}_code_at")));
        if i > 0 {
            t = t
                .column(Column::new("prev_id", Type::Integer))
                .foreign_key(ForeignKey::new(["prev_id"], format!("t{}", i - 1), ["id"]));
        }
        m.add_table(t);
    }
    let started = std::time::Instant::now();
    assert!(diff(&m, &m, &DiffOptions::default()).ops.is_empty());
    let elapsed = started.elapsed();
    let d = diff(&md(), &m, &DiffOptions::default());
    assert_eq!(d.ops.len(), 1000);
    assert!(matches!(&d.ops[999], Op::CreateTable { table } if table.name == "t999"));
    // Generous even for a debug build on a busy machine; quadratic work would blow it.
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");
}

#[test]
fn many_changes_at_once_still_replay_both_ways() {
    let before = rich();
    let mut after = md().enum_type(EnumType::new("status", ["new", "shipped"]));
    for t in before.tables() {
        let mut t = t.clone();
        match t.name.as_str() {
            // Leaves the a <-> b cycle: b goes, and a's key to it with it.
            "b" => continue,
            "a" => {
                t.foreign_keys.clear();
                t.columns.retain(|c| c.name != "b_id");
                t.comment = Some("was in a cycle".into());
            }
            "customers" => {
                t.uniques.clear();
                t = t.unique(["email", "name"]);
                t.get_column_mut("name").unwrap().nullable = false;
                t.checks[0].expr = "length(name) > 1".into();
            }
            "orders" => {
                t.columns
                    .retain(|c| c.name != "total" && c.name != "doubled");
                t.indexes[1].predicate = Some("status = 'shipped'".into());
                t = t.column(Column::new("note", Type::Text));
            }
            _ => {}
        }
        after.add_table(t);
    }
    after.add_table(
        Table::new("refunds")
            .column(int("id"))
            .column(int("order_id"))
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(["order_id"], "orders", ["order_id"])),
    );
    let d = check(&before, &after);
    assert!(
        d.log.iter().any(|l| l == "Detected removed table 'b'"),
        "{:#?}",
        d.log
    );
    assert!(d
        .log
        .iter()
        .any(|l| l.starts_with("Detected changed values of enum type 'status'")));
}

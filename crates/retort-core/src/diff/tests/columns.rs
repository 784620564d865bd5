//! Columns: added at the end, removed with their definition, and every property of a kept
//! one (nullability, type, server default, comment, identity, computed expression).

use super::support::*;
use crate::diff::{diff, DiffOptions, RenameKind};
use crate::ops::Op;
use crate::{Column, Computed, Identity, IdentityGeneration, Index, ServerDefault, Table, Type};

fn t(cols: Vec<Column>) -> crate::MetaData {
    let mut t = Table::new("orders").column(int("id")).primary_key(["id"]);
    t.columns.extend(cols);
    md().table(t)
}

fn alter(d: &crate::diff::Diff) -> &crate::ops::AlterColumn {
    match d.ops.as_slice() {
        [Op::AlterColumn(a)] => a,
        other => panic!("expected one alter_column, got {other:#?}"),
    }
}

#[test]
fn an_added_column_goes_last_and_a_removed_one_is_dropped_with_its_definition() {
    let d = check(
        &t(vec![text("note")]),
        &t(vec![text("remark_a"), Column::new("n", Type::Integer)]),
    );
    assert_eq!(
        d.log[..3],
        [
            "Detected removed column 'orders.note'",
            "Detected added column 'orders.remark_a'",
            "Detected added column 'orders.n'",
        ]
    );
    match &d.ops[0] {
        Op::DropColumn {
            column,
            existing: Some(c),
            ..
        } => {
            assert_eq!(column, "note");
            assert_eq!(c.ty, Type::Text);
        }
        other => panic!("{other:?}"),
    }
    // The drop and the add of the same shape: a rename hint, ops unchanged.
    assert_eq!(d.hints.len(), 1);
    assert_eq!(d.hints[0].kind, RenameKind::Column);
    assert_eq!(
        d.hints[0].suggestion(),
        "op.alter_column(\"orders\", \"note\").new_column_name(\"remark_a\");"
    );
    let mut up = t(vec![text("note")]);
    crate::ops::apply_all(&d.ops, &mut up).unwrap();
    let names: Vec<&str> = up.tables()[0]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["id", "remark_a", "n"]);
}

#[test]
fn nullability_changes_are_detected_both_ways() {
    let d = check(&t(vec![text("x").not_null()]), &t(vec![text("x")]));
    assert_eq!(d.log, ["Detected NULL on column 'orders.x'"]);
    let a = alter(&d);
    assert_eq!((a.nullable, a.existing_nullable), (Some(true), Some(false)));
    let d = check(&t(vec![text("x")]), &t(vec![text("x").not_null()]));
    assert_eq!(d.log, ["Detected NOT NULL on column 'orders.x'"]);
}

#[test]
fn primary_key_columns_are_not_null_whatever_the_flag_says() {
    let before = md().table(Table::new("t").column(int("id")).primary_key(["id"]));
    let after = md().table(
        Table::new("t")
            .column(Column::new("id", Type::Integer))
            .primary_key(["id"]),
    );
    assert!(diff(&before, &after, &DiffOptions::default())
        .ops
        .is_empty());
}

/// Issue 11 item 6: a type change drops the column's default and sets it again; the alter
/// carries the model's spelling of the unchanged default (so it is stored as `create_all`
/// stores it), with no log line since the default does not change; its reverse sets the
/// database's old spelling back.
#[test]
fn a_type_change_sets_the_unchanged_default_as_the_model_spells_it() {
    let col = |ty: Type, d: ServerDefault| Column::new("n", ty).server_default(d);
    let before = t(vec![col(Type::Integer, ServerDefault::expr("0"))]);
    let after = t(vec![col(Type::BigInt, ServerDefault::expr("0"))]);
    let d = check(&before, &after);
    assert_eq!(
        d.log,
        ["Detected type change from Integer to BigInt on 'orders.n'"]
    );
    let a = alter(&d);
    assert_eq!(a.server_default, Some(Some(ServerDefault::expr("0"))));
    assert_eq!(
        a.existing_server_default,
        Some(Some(ServerDefault::expr("0")))
    );
    // Without a type change nothing is set; without a default nothing either.
    assert!(diff(&before, &before, &DiffOptions::default())
        .ops
        .is_empty());
    let plain = |ty| t(vec![Column::new("n", ty)]);
    let d = check(&plain(Type::Integer), &plain(Type::BigInt));
    assert_eq!(alter(&d).server_default, None);
}

#[test]
fn type_changes_are_detected_unless_switched_off() {
    let before = t(vec![Column::new("x", Type::Varchar(Some(50)))]);
    let after = t(vec![Column::new("x", Type::Text)]);
    let d = check(&before, &after);
    assert_eq!(
        d.log,
        ["Detected type change from Varchar(50) to Text on 'orders.x'"]
    );
    let a = alter(&d);
    assert_eq!(a.existing_type, Some(Type::Varchar(Some(50))));
    assert_eq!(a.existing_nullable, Some(true), "context for the dialect");
    // varchar lengths are compared.
    let d = check(&before, &t(vec![Column::new("x", Type::Varchar(Some(80)))]));
    assert_eq!(
        d.log,
        ["Detected type change from Varchar(50) to Varchar(80) on 'orders.x'"]
    );
    let off = DiffOptions {
        compare_types: false,
        ..DiffOptions::default()
    };
    assert!(diff(&before, &after, &off).ops.is_empty());
}

#[test]
fn server_defaults_are_added_changed_and_removed_and_unchanged_ones_are_not_reported() {
    let c = |d: Option<ServerDefault>| {
        let mut c = Column::new("at", Type::Timestamp { tz: true });
        c.server_default = d;
        t(vec![c])
    };
    let now = || Some(ServerDefault::expr("now()"));
    let d = check(&c(None), &c(now()));
    assert_eq!(
        d.log,
        ["Detected added server default on column 'orders.at'"]
    );
    let d = check(
        &c(now()),
        &c(Some(ServerDefault::expr("CURRENT_TIMESTAMP"))),
    );
    assert_eq!(
        d.log,
        ["Detected server default change from now() to CURRENT_TIMESTAMP on column 'orders.at'"]
    );
    assert_eq!(alter(&d).existing_server_default, Some(now()));
    let d = check(&c(now()), &c(None));
    assert_eq!(
        d.log,
        ["Detected removed server default on column 'orders.at'"]
    );
    // Parentheses and spacing are not a change.
    assert!(diff(
        &c(Some(ServerDefault::expr("( now( ) )"))),
        &c(now()),
        &DiffOptions::default()
    )
    .ops
    .is_empty());
    let off = DiffOptions {
        compare_server_defaults: false,
        ..DiffOptions::default()
    };
    assert!(diff(&c(None), &c(now()), &off).ops.is_empty());
}

#[test]
fn a_null_default_is_no_default() {
    use crate::diff::default_is_null;
    use crate::Literal;
    let c = |d: Option<ServerDefault>| {
        let mut c = Column::new("note", Type::Text);
        c.server_default = d;
        t(vec![c])
    };
    let none = DiffOptions::default();
    for null in [
        ServerDefault::Literal(Literal::Null),
        ServerDefault::expr("NULL"),
        ServerDefault::expr("(null)::text"),
        ServerDefault::expr("NULL::character varying"),
    ] {
        assert!(default_is_null(&null), "{null:?}");
        // Either side: PostgreSQL stores DEFAULT NULL as no default.
        assert!(diff(&c(None), &c(Some(null.clone())), &none).ops.is_empty());
        assert!(diff(&c(Some(null.clone())), &c(None), &none).ops.is_empty());
        // NULL to a value is still a change.
        let d = check(&c(Some(null)), &c(Some(ServerDefault::text("x"))));
        assert_eq!(d.log.len(), 1, "{:?}", d.log);
        assert_eq!(
            alter(&d).server_default,
            Some(Some(ServerDefault::text("x")))
        );
    }
    for not_null in ["NULLIF(a, b)", "null_value()", "NULL OR true", "'NULL'"] {
        assert!(
            !default_is_null(&ServerDefault::expr(not_null)),
            "{not_null}"
        );
    }
    assert!(!default_is_null(&ServerDefault::text("NULL")));
}

#[test]
fn comments_on_columns_are_detected() {
    let d = check(&t(vec![text("x")]), &t(vec![text("x").comment("why")]));
    assert_eq!(d.log, ["Detected column comment 'orders.x'"]);
    let d = check(&t(vec![text("x").comment("why")]), &t(vec![text("x")]));
    assert_eq!(d.log, ["Detected removed column comment 'orders.x'"]);
    assert_eq!(alter(&d).existing_comment, Some(Some("why".into())));
}

#[test]
fn identity_is_added_removed_and_changed() {
    let id = |i: Option<Identity>| {
        let mut c = Column::new("n", Type::BigInt).not_null();
        c.identity = i.map(Box::new);
        t(vec![c])
    };
    let d = check(&id(None), &id(Some(Identity::always())));
    assert_eq!(d.log, ["Detected added identity on column 'orders.n'"]);
    let d = check(&id(Some(Identity::always())), &id(None));
    assert_eq!(d.log, ["Detected removed identity on column 'orders.n'"]);
    let d = check(
        &id(Some(Identity::always())),
        &id(Some(Identity::by_default())),
    );
    assert_eq!(d.log, ["Detected identity change on column 'orders.n'"]);
    assert_eq!(
        alter(&d)
            .identity
            .as_ref()
            .and_then(|i| i.as_ref())
            .map(|i| i.generation),
        Some(IdentityGeneration::ByDefault)
    );
    check(
        &id(Some(Identity::always())),
        &id(Some(Identity::always().start(100).increment(5))),
    );
    // An explicit start of 1 is the default.
    assert!(diff(
        &id(Some(Identity::always())),
        &id(Some(Identity::always().start(1))),
        &DiffOptions::default()
    )
    .ops
    .is_empty());
}

#[test]
fn computed_expressions_are_detected() {
    let c = |e: &str| {
        t(vec![
            Column::new("a", Type::Integer),
            Column::new("b", Type::Integer).computed(Computed::stored(e)),
        ])
    };
    let d = check(&c("a * 2"), &c("a * 3"));
    assert_eq!(
        d.log,
        ["Detected changed computed expression on column 'orders.b'"]
    );
    assert!(diff(&c("(a * 2)"), &c("a  *  2"), &DiffOptions::default())
        .ops
        .is_empty());
    let plain = t(vec![
        Column::new("a", Type::Integer),
        Column::new("b", Type::Integer),
    ]);
    let d = check(&c("a * 2"), &plain);
    assert_eq!(
        d.log,
        ["Detected removed computed expression on column 'orders.b'"]
    );
}

#[test]
fn several_changes_to_one_column_are_one_alter_with_one_line_each() {
    let before = t(vec![Column::new("x", Type::Varchar(Some(10))).not_null()]);
    let after = t(vec![Column::new("x", Type::Text)
        .server_default(ServerDefault::text("a"))
        .comment("c")]);
    let d = check(&before, &after);
    assert_eq!(d.ops.len(), 1);
    assert_eq!(
        alter(&d).changed(),
        ["nullable", "type", "server_default", "comment"]
    );
    assert_eq!(d.log.len(), 4);
}

#[test]
fn a_dropped_column_takes_its_indexes_down_first() {
    let before = md().table(
        Table::new("t")
            .column(int("id"))
            .column(text("x"))
            .primary_key(["id"])
            .index(Index::on_columns(["x"]).name("ix_t_x")),
    );
    let after = md().table(Table::new("t").column(int("id")).primary_key(["id"]));
    let d = check(&before, &after);
    assert_eq!(described(&d), ["drop index ix_t_x on t", "drop column t.x"]);
}

#[test]
fn serial_to_identity_drops_the_sequence_default_and_adds_the_identity() {
    let serial = t(vec![Column::new("n", Type::Integer)
        .not_null()
        .server_default(ServerDefault::expr(
            "nextval('orders_n_seq'::regclass)",
        ))]);
    let identity = t(vec![
        Column::new("n", Type::Integer).identity(Identity::by_default())
    ]);
    let d = check(&serial, &identity);
    let a = alter(&d);
    assert_eq!(a.changed(), ["server_default", "identity"]);
    assert_eq!(a.server_default, Some(None));
}

#[test]
fn a_generated_column_is_dropped_before_the_column_it_computes_from() {
    let before = t(vec![
        Column::new("total", Type::Integer),
        Column::new("doubled", Type::Integer).computed(Computed::stored("total * 2")),
    ]);
    let d = check(&before, &t(vec![]));
    assert_eq!(
        described(&d),
        ["drop column orders.doubled", "drop column orders.total"]
    );
}

#[test]
fn a_generated_column_is_recreated_around_a_type_change_of_what_it_computes_from() {
    let gen = || Column::new("twice", Type::BigInt).computed(Computed::stored("\"qty\" * 2"));
    let qty = |ty: Type| Column::new("qty", ty).not_null();
    let d = check(
        &t(vec![qty(Type::Integer), gen()]),
        &t(vec![qty(Type::BigInt), gen()]),
    );
    assert_eq!(
        described(&d),
        [
            "drop column orders.twice",
            "alter column orders.qty (type)",
            "add column orders.twice"
        ]
    );
    // A generated column over an unchanged column is left alone.
    let d = check(
        &t(vec![qty(Type::Integer), text("label"), gen()]),
        &t(vec![
            qty(Type::Integer),
            Column::new("label", Type::Varchar(Some(9))),
            gen(),
        ]),
    );
    assert_eq!(described(&d), ["alter column orders.label (type)"]);
}

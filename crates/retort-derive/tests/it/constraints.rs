//! Primary keys, foreign keys with actions, unique constraints, checks and indexes.

use retort::core::{
    Check, Deferrable, FkAction, ForeignKey, Index, IndexElement, PrimaryKey, Unique,
};
use retort::prelude::*;

#[derive(Model)]
#[retort(table = "customers")]
#[allow(dead_code)]
struct Customer {
    #[retort(primary_key, identity = "always")]
    customer_id: i32,
    #[retort(unique, index)]
    email: String,
}

#[derive(Model)]
#[retort(
    table = "orders",
    schema = "shop",
    primary_key(columns("order_id", "tenant"), name = "pk_orders"),
    unique(columns("tenant", "number"), name = "uq_orders_number"),
    unique(columns("number")),
    check(expr = "total >= 0", name = "ck_orders_total"),
    check(expr = "number <> ''"),
    index(columns("tenant", "placed_at"), name = "ix_orders_tenant_placed"),
    index(expr = "lower(number)", unique, name = "ix_orders_lower_number"),
    index(columns("customer_id"), method = "hash"),
    index(
        columns("tenant"),
        expr = "date(placed_at)",
        include("total"),
        where = "total > 0",
        name = "ix_orders_partial",
        method = "btree"
    ),
    foreign_key(
        columns("parent_id", "tenant"),
        references = "shop.orders(order_id, tenant)",
        on_delete = "set null",
        on_update = "cascade",
        name = "fk_orders_parent",
        deferrable
    )
)]
#[allow(dead_code)]
struct Order {
    order_id: i64,
    tenant: i32,
    number: String,
    total: f64,
    placed_at: chrono::NaiveDateTime,
    parent_id: Option<i64>,
    #[retort(foreign_key = "customers.customer_id", on_delete = "cascade")]
    customer_id: i32,
    #[retort(
        foreign_key = "public.customers.customer_id",
        on_delete = "SET NULL",
        on_update = "restrict",
        initially_deferred,
        fk_name = "fk_orders_referrer"
    )]
    referrer_id: Option<i32>,
}

#[test]
fn field_level_unique_and_index() {
    let t = Customer::table();
    assert_eq!(
        t.uniques,
        vec![Unique {
            name: None,
            columns: vec!["email".into()],
            ..Default::default()
        }]
    );
    assert_eq!(t.indexes, vec![Index::on_columns(["email"])]);
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            with: Vec::new(),
            conv: false,
            name: None,
            columns: vec!["customer_id".into()]
        })
    );
}

#[test]
fn composite_primary_key_makes_its_columns_not_null() {
    let t = Order::table();
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            with: Vec::new(),
            conv: false,
            name: Some("pk_orders".into()),
            columns: vec!["order_id".into(), "tenant".into()],
        })
    );
    assert!(t
        .columns
        .iter()
        .filter(|c| t.is_primary_key(&c.name))
        .all(|c| !c.nullable));
}

#[test]
fn foreign_keys_carry_actions_names_and_schemas() {
    let t = Order::table();
    let mut referrer = ForeignKey::new(["referrer_id"], "customers", ["customer_id"])
        .name("fk_orders_referrer")
        .on_delete(FkAction::SetNull)
        .on_update(FkAction::Restrict)
        .deferrable(Deferrable::InitiallyDeferred);
    referrer.ref_schema = Some("public".into());
    let mut parent = ForeignKey::new(["parent_id", "tenant"], "orders", ["order_id", "tenant"])
        .name("fk_orders_parent")
        .on_delete(FkAction::SetNull)
        .on_update(FkAction::Cascade)
        .deferrable(Deferrable::InitiallyImmediate);
    parent.ref_schema = Some("shop".into());
    assert_eq!(
        t.foreign_keys,
        vec![
            ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                .on_delete(FkAction::Cascade),
            referrer,
            parent,
        ]
    );
}

#[test]
fn uniques_and_checks() {
    let t = Order::table();
    assert_eq!(
        t.uniques,
        vec![
            Unique {
                name: Some("uq_orders_number".into()),
                columns: vec!["tenant".into(), "number".into()],
                ..Default::default()
            },
            Unique {
                name: None,
                columns: vec!["number".into()],
                ..Default::default()
            },
        ]
    );
    assert_eq!(
        t.checks,
        vec![
            Check {
                conv: false,
                name: Some("ck_orders_total".into()),
                expr: "total >= 0".into()
            },
            Check {
                conv: false,
                name: None,
                expr: "number <> ''".into()
            },
        ]
    );
}

#[test]
fn indexes_with_expressions_methods_include_and_predicates() {
    let t = Order::table();
    assert_eq!(
        t.indexes,
        vec![
            Index::on_columns(["tenant", "placed_at"]).name("ix_orders_tenant_placed"),
            Index {
                with: Vec::new(),
                conv: false,
                name: Some("ix_orders_lower_number".into()),
                unique: true,
                elements: vec![IndexElement::expr("lower(number)")],
                method: None,
                include: vec![],
                predicate: None,
                nulls_not_distinct: false,
            },
            Index::on_columns(["customer_id"]).method("hash"),
            Index {
                with: Vec::new(),
                conv: false,
                name: Some("ix_orders_partial".into()),
                unique: false,
                elements: vec![
                    IndexElement::column("tenant"),
                    IndexElement::expr("date(placed_at)")
                ],
                method: Some("btree".into()),
                include: vec!["total".into()],
                predicate: Some("total > 0".into()),
                nulls_not_distinct: false,
            },
        ]
    );
}

#[test]
fn unnamed_index_is_named_by_the_default_convention() {
    let md = MetaData::new().with::<Customer>();
    let t = md
        .get_table(None, "customers")
        .expect("customers is in the metadata");
    assert_eq!(t.indexes[0].name.as_deref(), Some("ix_customers_email"));
}

/// Index elements with their order, NULLS placement, collation and operator class, as
/// columns (by name or string) and as expressions.
#[derive(Model)]
#[allow(dead_code)]
#[retort(
    table = "events",
    index(
        columns(created_at(desc, nulls_last), "title"(collate = "C", opclass = "text_pattern_ops")),
        name = "ix_events_recent"
    ),
    index(columns(r#type(asc, nulls_first)), expr("lower(title)", desc, collate = "C")),
)]
struct Event {
    #[retort(primary_key)]
    id: i32,
    created_at: Option<i64>,
    title: String,
    r#type: String,
}

#[test]
fn index_elements_carry_order_nulls_collation_and_opclass() {
    let t = Event::table();
    assert_eq!(
        t.indexes[0].elements,
        [
            IndexElement::column("created_at").desc().nulls_last(),
            IndexElement::column("title")
                .collate("C")
                .opclass("text_pattern_ops"),
        ]
    );
    assert_eq!(
        t.indexes[1].elements,
        [
            IndexElement::column("type").asc().nulls_first(),
            IndexElement::expr("lower(title)").desc().collate("C"),
        ]
    );
    assert!(MetaData::new().with::<Event>().validate().is_ok());
}

/// Inheritance and storage parameters reach the table: the parents, the inherited columns,
/// the `WITH (..)` of the table, its key, its unique constraint and its index.
#[test]
fn inheritance_and_storage_parameters_reach_the_table() {
    #[derive(Model)]
    #[retort(table = "payment")]
    #[allow(dead_code)]
    struct Payment {
        #[retort(primary_key)]
        id: i32,
        amount: i32,
    }
    #[derive(Model)]
    #[retort(
        table = "payment_p1",
        inherits = "payment, public.other",
        with = "fillfactor=70",
        primary_key(columns("note"), with = "fillfactor=100"),
        unique(columns("note"), name = "uq_note", with = "fillfactor=90"),
        index(
            columns("note"),
            name = "ix_note",
            with = "fillfactor=80, deduplicate_items=off"
        )
    )]
    #[allow(dead_code)]
    struct PaymentP1 {
        #[retort(inherited)]
        id: i32,
        #[retort(inherited)]
        amount: i32,
        note: String,
    }
    let t = PaymentP1::table();
    assert_eq!(
        t.inherits,
        [
            retort::core::TableRef::new(None, "payment"),
            retort::core::TableRef::new(Some("public"), "other")
        ]
    );
    let inherited: Vec<bool> = t.columns.iter().map(|c| c.inherited).collect();
    assert_eq!(inherited, [true, true, false]);
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(t.with, [pair("fillfactor", "70")]);
    assert_eq!(t.primary_key.unwrap().with, [pair("fillfactor", "100")]);
    assert_eq!(t.uniques[0].with, [pair("fillfactor", "90")]);
    assert_eq!(
        t.indexes[0].with,
        [pair("fillfactor", "80"), pair("deduplicate_items", "off")]
    );
    assert!(Payment::table().inherits.is_empty());
}

/// A parent whose schema or name holds a `.` or a `,` (which the text form `inherits =
/// "schema.table"` would split) is given in the structured form, and kept as written; the
/// text form still reads beside it.
#[test]
fn a_parent_with_dots_or_commas_in_its_names_is_kept_apart() {
    #[derive(Model)]
    #[retort(
        table = "child",
        inherits(table = "pa\"r, x", schema = "s.1"),
        inherits(table = "a.b"),
        inherits = "payment"
    )]
    #[allow(dead_code)]
    struct Child {
        #[retort(primary_key)]
        id: i32,
    }
    assert_eq!(
        Child::table().inherits,
        [
            retort::core::TableRef::new(Some("s.1"), "pa\"r, x"),
            retort::core::TableRef::new(None, "a.b"),
            retort::core::TableRef::new(None, "payment"),
        ]
    );
}

/// A foreign key whose target's schema, table or columns hold a `.`, a `,` or a `(` (which
/// the text forms `foreign_key = "schema.table.column"` and `references = "schema.table(a,
/// b)"` would split there) is given in the structured forms, and kept as written; the
/// field's options (`on_delete`, `fk_name`) still apply to it, and the text forms read beside
/// them.
#[test]
fn a_foreign_key_target_with_dots_commas_or_parentheses_is_kept_apart() {
    #[derive(Model)]
    #[retort(
        table = "referrer",
        foreign_key(
            columns("pair_a", "pair_b"),
            references(table = "ta.ble, 1", schema = "s.1", columns("i.d", "pa(rt, 2")),
            on_delete = "cascade",
            name = "fk_pair"
        ),
        foreign_key(
            columns("pair_b", "pair_a"),
            references(table = "a(b)", columns("x.y", "z"))
        ),
        foreign_key(columns("plain_id", "pair_a"), references = "shop.orders(id, tenant)")
    )]
    #[allow(dead_code)]
    struct Referrer {
        #[retort(primary_key)]
        id: i32,
        #[retort(
            foreign_key(table = "ta.ble, 1", schema = "s.1", column = "i.d"),
            on_delete = "set null",
            fk_name = "fk_one"
        )]
        one: Option<i32>,
        #[retort(foreign_key(table = "a.b", column = "c, d"))]
        two: Option<i32>,
        #[retort(foreign_key = "shop.orders.id")]
        plain_id: Option<i32>,
        pair_a: Option<i32>,
        pair_b: Option<i32>,
    }
    assert_eq!(
        Referrer::table().foreign_keys,
        [
            ForeignKey::new(["one"], "ta.ble, 1", ["i.d"])
                .ref_schema("s.1")
                .on_delete(FkAction::SetNull)
                .name("fk_one"),
            ForeignKey::new(["two"], "a.b", ["c, d"]),
            ForeignKey::new(["plain_id"], "orders", ["id"]).ref_schema("shop"),
            ForeignKey::new(["pair_a", "pair_b"], "ta.ble, 1", ["i.d", "pa(rt, 2"])
                .ref_schema("s.1")
                .on_delete(FkAction::Cascade)
                .name("fk_pair"),
            ForeignKey::new(["pair_b", "pair_a"], "a(b)", ["x.y", "z"]),
            ForeignKey::new(["plain_id", "pair_a"], "orders", ["id", "tenant"]).ref_schema("shop"),
        ]
    );
}

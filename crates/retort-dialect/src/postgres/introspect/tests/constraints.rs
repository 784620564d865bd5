//! Primary key, unique, check and foreign key constraints.

use retort_core::{Check, Deferrable, FkAction, FkMatch, ForeignKey, PrimaryKey, Unique};

use crate::postgres::introspect::IntrospectError;

use super::*;

#[test]
fn primary_unique_and_check_constraints_carry_their_names() {
    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![
            constraint("customers", "customers_pkey", "p", "{customer_id}").row(),
            constraint("customers", "customers_email_key", "u", "{email}").row(),
            constraint("orders", "orders_pk", "p", "{order_id,customer_id}").row(),
            constraint("orders", "note_short", "c", "{note}")
                .set(12, "length(note) < 100")
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let (c, o) = (&md.tables()[0], &md.tables()[1]);
    assert_eq!(
        c.primary_key,
        Some(PrimaryKey {
            with: Vec::new(),
            conv: false,
            name: Some("customers_pkey".into()),
            columns: vec!["customer_id".into()]
        })
    );
    assert_eq!(
        c.uniques,
        [Unique {
            name: Some("customers_email_key".into()),
            columns: vec!["email".into()],
            ..Default::default()
        }]
    );
    assert_eq!(
        o.primary_key.as_ref().unwrap().columns,
        ["order_id", "customer_id"]
    );
    assert_eq!(
        o.checks,
        [Check {
            conv: false,
            name: Some("note_short".into()),
            expr: "length(note) < 100".into()
        }]
    );
}

#[test]
fn foreign_keys_with_actions_deferrability_match_types_and_schemas() {
    let fk = |name: &str| {
        constraint("orders", name, "f", "{customer_id}")
            .set(5, "public")
            .set(6, "customers")
            .set(7, "{customer_id}")
            .set(8, "a")
            .set(9, "a")
    };
    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![
            fk("plain").row(),
            fk("cascading").set(9, "c").set(8, "r").row(),
            fk("deferred")
                .set(9, "n")
                .set(10, "true")
                .set(11, "true")
                .row(),
            fk("immediate").set(8, "d").set(10, "true").row(),
            fk("full").set(14, "f").row(),
            fk("simple").set(14, "s").row(),
            fk("elsewhere")
                .set(5, "sales")
                .set(6, "deals")
                .set(7, r#"{"Deal Id"}"#)
                .row(),
        ],
        ..CatalogRows::default()
    };
    let md = build(&rows);
    let base = ForeignKey::new(["customer_id"], "customers", ["customer_id"]);
    assert_eq!(
        md.tables()[1].foreign_keys,
        // By name.
        [
            base.clone()
                .name("cascading")
                .on_delete(FkAction::Cascade)
                .on_update(FkAction::Restrict),
            base.clone()
                .name("deferred")
                .on_delete(FkAction::SetNull)
                .deferrable(Deferrable::InitiallyDeferred),
            ForeignKey {
                ref_schema: Some("sales".into()),
                ..ForeignKey::new(["customer_id"], "deals", ["Deal Id"]).name("elsewhere")
            },
            base.clone().name("full").match_type(FkMatch::Full),
            base.clone()
                .name("immediate")
                .on_update(FkAction::SetDefault)
                .deferrable(Deferrable::InitiallyImmediate),
            base.clone().name("plain"),
            // MATCH SIMPLE, the default, is no match type.
            base.clone().name("simple"),
        ]
    );
}

#[test]
fn constraints_of_an_unknown_table_or_kind_are_errors_that_say_what() {
    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![constraint("ghost", "ghost_pkey", "p", "{id}").row()],
        ..CatalogRows::default()
    };
    let err = build_metadata(&rows, &IntrospectOptions::default()).unwrap_err();
    assert!(
        matches!(&err, IntrospectError::UnknownTable { table, .. } if table == "public.ghost"),
        "{err}"
    );
    assert!(err.to_string().contains("ghost_pkey"), "{err}");

    let rows = CatalogRows {
        columns: two_tables(),
        constraints: vec![constraint("orders", "odd", "z", "{id}").row()],
        ..CatalogRows::default()
    };
    let err = build_metadata(&rows, &IntrospectOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("contype") && err.to_string().contains("`z`"),
        "{err}"
    );
}

//! The derived model must be the seed's, column for column (compare
//! `oracle/seed_alembic_revision.py` and `oracle/seed_alembic_pg_dump.sql`).

use retort::core::{
    Cascade, Column, FkAction, ForeignKey, Identity, PrimaryKey, RelationshipKind, ServerDefault,
};
use retort::{Table, Type};

use crate::seed_metadata as metadata;

fn table<'a>(tables: &'a [Table], name: &str) -> &'a Table {
    tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn identity_pk(name: &str) -> Column {
    Column::new(name, Type::Integer).identity(Identity::always())
}

fn not_null(name: &str, ty: Type) -> Column {
    Column::new(name, ty).not_null()
}

#[test]
fn metadata_validates() {
    metadata().validate().expect("the seed model is consistent");
}

#[test]
fn tables_in_declaration_order_with_no_enums() {
    let md = metadata();
    let names: Vec<&str> = md.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["customers", "orders", "products"]);
    assert!(md.enums().is_empty());
    assert!(md.tables().iter().all(|t| t.schema.is_none()));
}

#[test]
fn customers_match_the_seed() {
    let md = metadata();
    let t = table(md.tables(), "customers");
    assert_eq!(t.model.as_deref(), Some("Customer"));
    assert_eq!(
        t.columns,
        vec![
            identity_pk("customer_id"),
            not_null("first_name", Type::Varchar(None)),
            not_null("last_name", Type::Varchar(None)),
            not_null("email_address", Type::Varchar(None)),
        ]
    );
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            with: Vec::new(),
            conv: false,
            name: None,
            columns: vec!["customer_id".into()]
        })
    );
    assert!(t.foreign_keys.is_empty() && t.uniques.is_empty() && t.indexes.is_empty());
    let [orders] = t.relationships.as_slice() else {
        panic!("customers has one relationship: {:?}", t.relationships)
    };
    assert_eq!(orders.field, "orders");
    assert_eq!(orders.kind, RelationshipKind::OneToMany);
    assert_eq!(orders.target_model, "Order");
    assert_eq!(orders.back_populates.as_deref(), Some("customer"));
    assert_eq!(
        orders.cascade,
        Cascade::parse("all, delete-orphan").expect("valid")
    );
    assert!(orders.cascade.delete && orders.cascade.delete_orphan);
}

#[test]
fn orders_match_the_seed() {
    let md = metadata();
    let t = table(md.tables(), "orders");
    assert_eq!(
        t.columns,
        vec![
            identity_pk("order_id"),
            not_null("customer_id", Type::Integer),
            not_null("order_date", Type::Timestamp { tz: true })
                .server_default(ServerDefault::expr("now()")),
        ]
    );
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            with: Vec::new(),
            conv: false,
            name: None,
            columns: vec!["order_id".into()]
        })
    );
    // Unnamed, so PostgreSQL names it `orders_customer_id_fkey` as in the pg_dump.
    assert_eq!(
        t.foreign_keys,
        vec![
            ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                .on_delete(FkAction::Cascade)
        ]
    );
    let [customer] = t.relationships.as_slice() else {
        panic!("orders has one relationship: {:?}", t.relationships)
    };
    assert_eq!(customer.kind, RelationshipKind::ManyToOne);
    assert_eq!(customer.target_table, "customers");
    assert_eq!(customer.back_populates.as_deref(), Some("orders"));
    assert_eq!(customer.cascade, Cascade::default());
}

#[test]
fn products_match_the_seed() {
    let md = metadata();
    let t = table(md.tables(), "products");
    assert_eq!(
        t.columns,
        vec![
            identity_pk("product_id"),
            not_null("product_name", Type::Varchar(None)),
            Column::new("description", Type::Text),
            not_null("price", Type::Double),
        ]
    );
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            with: Vec::new(),
            conv: false,
            name: None,
            columns: vec!["product_id".into()]
        })
    );
    assert!(t.foreign_keys.is_empty() && t.relationships.is_empty());
}

#[test]
fn the_whole_model_adds_order_items_and_the_order_totals_view() {
    let md = crate::metadata();
    md.validate().expect("the whole model is consistent");
    let names: Vec<&str> = md.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["customers", "orders", "products", "order_items"]);
    // `Order::items` (all, delete-orphan) and `OrderItem::order`/`product`, which the seed's
    // model alone leaves out.
    let rels = |t: &str| -> Vec<String> {
        table(md.tables(), t)
            .relationships
            .iter()
            .map(|r| format!("{} {:?} {}", r.field, r.kind, r.target_table))
            .collect()
    };
    assert_eq!(
        rels("orders"),
        [
            "customer ManyToOne customers",
            "items OneToMany order_items"
        ]
    );
    assert_eq!(
        rels("order_items"),
        ["order ManyToOne orders", "product ManyToOne products"]
    );
    assert!(table(md.tables(), "orders").relationships[1].cascade.delete);
    let items = table(md.tables(), "order_items");
    assert_eq!(
        items.foreign_keys,
        vec![
            ForeignKey::new(["order_id"], "orders", ["order_id"]).on_delete(FkAction::Cascade),
            ForeignKey::new(["product_id"], "products", ["product_id"]),
        ]
    );
    let entities: Vec<(&str, &str, String)> = md
        .entities()
        .iter()
        .map(|e| (e.kind().as_str(), e.name(), format!("{:?}", e.only_on())))
        .collect();
    assert_eq!(
        entities,
        [
            ("view", "order_totals", "[]".into()),
            ("function", "set_updated_at", "[Postgres]".into()),
            ("trigger", "order_items_updated_at", "[Postgres]".into()),
            ("trigger", "order_items_updated_at", "[Sqlite]".into()),
        ]
    );
    // Each database sees its own: MySQL/MariaDB the view alone.
    use retort::core::DialectKind;
    let on = |d: DialectKind| md.for_dialect(Some(d)).entities().len();
    assert_eq!(
        [
            on(DialectKind::Postgres),
            on(DialectKind::Sqlite),
            on(DialectKind::Mysql)
        ],
        [3, 2, 1]
    );
}

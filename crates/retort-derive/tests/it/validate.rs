//! `MetaData::validate()` on derived models: typed errors that name the model and field.

use retort::core::SchemaError;
use retort::prelude::*;

#[derive(Model)]
#[retort(table = "parents")]
#[allow(dead_code)]
struct Parent {
    #[retort(primary_key)]
    id: i32,
    #[retort(back_populates = "parent")]
    children: HasMany<Child>,
}

/// Its foreign key names a table no model defines.
#[derive(Model)]
#[retort(table = "orphans")]
#[allow(dead_code)]
struct Orphan {
    #[retort(primary_key)]
    id: i32,
    #[retort(foreign_key = "nowhere.id")]
    nowhere_id: i32,
}

/// Points back to the wrong field, and has no foreign key to `parents`.
#[derive(Model)]
#[retort(table = "children")]
#[allow(dead_code)]
struct Child {
    #[retort(primary_key)]
    id: i32,
    #[retort(back_populates = "kids")]
    parent: BelongsTo<Parent>,
}

/// Two fields map to one column name.
#[derive(Model)]
#[retort(table = "twins")]
#[allow(dead_code)]
struct Twins {
    #[retort(column = "name")]
    first: String,
    #[retort(column = "name")]
    second: String,
}

fn errors(md: MetaData) -> Vec<SchemaError> {
    md.validate()
        .expect_err("the model is invalid")
        .errors()
        .to_vec()
}

#[test]
fn unknown_foreign_key_target_names_model_and_field() {
    let errs = errors(MetaData::new().with::<Orphan>());
    assert!(
        matches!(
            errs.as_slice(),
            [SchemaError::UnknownForeignKeyTarget { model, field, target, .. }]
                if model == "Orphan" && field == "nowhere_id" && target == "nowhere.id"
        ),
        "{errs:#?}"
    );
    let message = errs[0].to_string();
    assert!(message.starts_with("Orphan.nowhere_id:"), "{message}");
}

#[test]
fn back_populates_that_does_not_point_back() {
    let errs = errors(MetaData::new().with::<Parent>().with::<Child>());
    assert!(
        errs.iter().any(|e| matches!(e,
            SchemaError::BackPopulatesMissing { model, field, target, back_populates, .. }
                if model == "Child" && field == "parent" && target == "Parent" && back_populates == "kids")),
        "{errs:#?}"
    );
    assert!(
        errs.iter().any(|e| matches!(e,
            SchemaError::BackPopulatesMismatch { model, field, back_populates, .. }
                if model == "Parent" && field == "children" && back_populates == "parent")),
        "{errs:#?}"
    );
}

#[test]
fn relationship_without_a_foreign_key_path() {
    let errs = errors(MetaData::new().with::<Parent>().with::<Child>());
    for (model, field) in [("Child", "parent"), ("Parent", "children")] {
        assert!(
            errs.iter().any(|e| matches!(e,
                SchemaError::NoForeignKeyPath { model: m, field: f, .. } if m == model && f == field)),
            "no NoForeignKeyPath for {model}.{field}: {errs:#?}"
        );
    }
}

/// A table whose name holds a `.`, with a relationship but no foreign key to it.
#[derive(Model)]
#[retort(table = "do.tted")]
#[allow(dead_code)]
struct Dotted {
    #[retort(primary_key)]
    id: i32,
}

#[derive(Model)]
#[retort(table = "to_dotted")]
#[allow(dead_code)]
struct ToDotted {
    #[retort(primary_key)]
    id: i32,
    dotted_id: i32,
    dotted: BelongsTo<Dotted>,
}

/// The advice is the structured foreign key where the text form would split the name.
#[test]
fn the_advice_for_a_missing_foreign_key_to_a_dotted_table_is_the_structured_form() {
    let errs = errors(MetaData::new().with::<Dotted>().with::<ToDotted>());
    let message = errs
        .iter()
        .find(|e| matches!(e, SchemaError::NoForeignKeyPath { .. }))
        .map(ToString::to_string)
        .unwrap_or_else(|| panic!("no NoForeignKeyPath: {errs:#?}"));
    assert!(
        message.contains(
            "add `foreign_key(table = \"do.tted\", column = \"<column>\")` to a field of ToDotted"
        ),
        "{message}"
    );
}

#[test]
fn duplicate_column() {
    let errs = errors(MetaData::new().with::<Twins>());
    assert_eq!(
        errs,
        vec![SchemaError::DuplicateColumn {
            model: "Twins".into(),
            table: "twins".into(),
            column: "name".into(),
        }]
    );
}

/// Identity on a non-integer compiles (the type is only known through `ColumnType` at run
/// time) and is reported by validation.
#[derive(Model)]
#[retort(table = "codes")]
#[allow(dead_code)]
struct Code {
    #[retort(primary_key, identity = "always")]
    code: String,
}

#[test]
fn identity_on_a_non_integer_is_a_validation_error() {
    let errs = errors(MetaData::new().with::<Code>());
    assert!(
        matches!(errs.as_slice(),
            [SchemaError::IdentityNotInteger { model, field, .. }] if model == "Code" && field == "code"),
        "{errs:#?}"
    );
}

/// Issue 11 item 1: `#[retort(schema = "inventory")]` with `foreign_key = "products.product_id"`
/// refers to `products` in the default schema (SQLAlchemy's meaning), not `inventory.products`;
/// a target in another named schema, and the default schema named explicitly, stay expressible.
mod cross_schema {
    use retort::prelude::*;

    #[derive(Model)]
    #[retort(table = "products")]
    #[allow(dead_code)]
    pub struct Product {
        #[retort(primary_key)]
        product_id: i32,
    }

    #[derive(Model)]
    #[retort(table = "warehouses", schema = "inventory")]
    #[allow(dead_code)]
    pub struct Warehouse {
        #[retort(primary_key)]
        id: i32,
    }

    #[derive(Model)]
    #[retort(table = "stock_levels", schema = "inventory")]
    #[allow(dead_code)]
    pub struct StockLevel {
        #[retort(primary_key)]
        id: i32,
        #[retort(foreign_key = "products.product_id")]
        product_id: i32,
        #[retort(foreign_key = "inventory.warehouses.id")]
        warehouse_id: i32,
        #[retort(foreign_key = "public.products.product_id")]
        also_product_id: i32,
    }

    #[test]
    fn an_unqualified_foreign_key_target_is_in_the_default_schema() {
        let md = MetaData::new()
            .with::<Product>()
            .with::<Warehouse>()
            .with::<StockLevel>();
        md.validate().expect("every target exists");
        let t = StockLevel::table();
        let fks: Vec<_> = t
            .foreign_keys
            .iter()
            .map(|f| (f.ref_schema.as_deref(), f.ref_table.as_str()))
            .collect();
        assert_eq!(
            fks,
            [
                (None, "products"),
                (Some("inventory"), "warehouses"),
                (Some("public"), "products")
            ]
        );
    }
}

/// An `i64` field referring to the `i32` key of `parents`.
#[derive(Model)]
#[retort(table = "wide_refs")]
#[allow(dead_code)]
struct WideRef {
    #[retort(primary_key)]
    id: i32,
    #[retort(foreign_key = "parents.id")]
    parent_id: i64,
}

/// Text of another length and an optional key are the key's type as far as a reference goes.
#[derive(Model)]
#[retort(table = "short_codes")]
#[allow(dead_code)]
struct ShortCode {
    #[retort(primary_key, varchar = 10)]
    code: String,
}

#[derive(Model)]
#[retort(table = "code_refs")]
#[allow(dead_code)]
struct CodeRef {
    #[retort(primary_key)]
    id: i32,
    #[retort(foreign_key = "short_codes.code")]
    code: Option<String>,
    #[retort(foreign_key = "parents.id")]
    parent_id: Option<i32>,
}

#[test]
fn a_key_of_another_type_names_model_field_and_both_types() {
    let lone_parent = Table::new("parents")
        .column(Column::new("id", Type::Integer).not_null())
        .primary_key(["id"]);
    let errs = errors(MetaData::new().table(lone_parent.clone()).with::<WideRef>());
    assert!(
        matches!(
            errs.as_slice(),
            [SchemaError::ForeignKeyTypeMismatch { model, field, ty, ref_ty, .. }]
                if model == "WideRef" && field == "parent_id" && ty == "BigInt" && ref_ty == "Integer"
        ),
        "{errs:#?}"
    );
    let fine = MetaData::new()
        .table(lone_parent)
        .with::<ShortCode>()
        .with::<CodeRef>();
    assert_eq!(fine.validate(), Ok(()));
}

/// Many-to-many through an association table in a named schema: `secondary` names it as
/// SQLAlchemy's `secondary="sales.order_tags"` does, schema included.
mod in_a_schema {
    use retort::prelude::*;

    #[derive(Model)]
    #[retort(table = "orders", schema = "sales")]
    #[allow(dead_code)]
    pub struct Order {
        #[retort(primary_key)]
        pub id: i32,
        #[retort(secondary = "sales.order_tags", through = OrderTag)]
        pub tags: ManyToMany<Tag>,
    }

    #[derive(Model)]
    #[retort(table = "tags", schema = "sales")]
    #[allow(dead_code)]
    pub struct Tag {
        #[retort(primary_key)]
        pub id: i32,
    }

    #[derive(Model)]
    #[retort(
        table = "order_tags",
        schema = "sales",
        primary_key(columns("order_id", "tag_id"))
    )]
    #[allow(dead_code)]
    pub struct OrderTag {
        #[retort(foreign_key = "sales.orders.id")]
        pub order_id: i32,
        #[retort(foreign_key = "sales.tags.id")]
        pub tag_id: i32,
    }

    /// The same name in the default schema, with no foreign keys: must not be taken for it.
    #[derive(Model)]
    #[retort(table = "order_tags")]
    #[allow(dead_code)]
    pub struct Decoy {
        #[retort(primary_key)]
        pub id: i32,
    }
}

#[test]
fn a_schema_qualified_secondary_is_found_in_its_schema() {
    use in_a_schema::*;
    let md = MetaData::new()
        .with::<Order>()
        .with::<Tag>()
        .with::<OrderTag>()
        .with::<Decoy>();
    if let Err(e) = md.validate() {
        panic!("the association table in `sales` was not found: {e}");
    }
    // Unqualified, it is the default schema's table (which has no foreign keys): refused.
    let md = MetaData::new().with::<Tag>().with::<Decoy>().table({
        let mut t = Order::table();
        if let Some(r) = t.relationships.first_mut() {
            r.kind = retort::core::RelationshipKind::ManyToMany {
                secondary: "order_tags".into(),
            };
        }
        t
    });
    let errs = errors(md);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .to_string()
            .contains("association table `order_tags` must have foreign keys"),
        "{}",
        errs[0]
    );
}

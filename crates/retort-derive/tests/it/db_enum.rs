//! `#[derive(DbEnum)]`: the enum type's definition, the column type, and its registration
//! through `MetaData::with`.

use retort::core::{EnumRef, EnumType, Type};
use retort::prelude::*;

#[derive(DbEnum)]
#[allow(dead_code)]
enum OrderStatus {
    Pending,
    ShippedToCustomer,
    #[retort(rename = "on-hold")]
    OnHold,
}

#[derive(DbEnum)]
#[retort(name = "mood", schema = "app")]
#[allow(dead_code)]
enum Feeling {
    Happy,
    Sad,
}

#[derive(Model)]
#[retort(table = "shipments")]
#[allow(dead_code)]
struct Shipment {
    #[retort(primary_key)]
    id: i32,
    status: OrderStatus,
    previous: Option<OrderStatus>,
    feeling: Feeling,
}

#[test]
fn enum_type_uses_snake_case_names_and_renames() {
    assert_eq!(
        OrderStatus::enum_type(),
        EnumType::new(
            "order_status",
            ["pending", "shipped_to_customer", "on-hold"]
        )
    );
    let mood = Feeling::enum_type();
    assert_eq!(
        (mood.schema.as_deref(), mood.name.as_str()),
        (Some("app"), "mood")
    );
    assert_eq!(mood.values, vec!["happy", "sad"]);
}

#[test]
fn enum_columns_refer_to_the_type() {
    let t = Shipment::table();
    let status = t.get_column("status").expect("status column");
    assert_eq!(status.ty, Type::enumeration("order_status"));
    assert!(!status.nullable);
    assert!(t.get_column("previous").expect("previous column").nullable);
    assert_eq!(
        t.get_column("feeling").expect("feeling column").ty,
        Type::Enum(EnumRef {
            schema: Some("app".into()),
            name: "mood".into()
        })
    );
}

#[test]
fn metadata_registers_each_enum_once() {
    let md = MetaData::new().with::<Shipment>();
    assert_eq!(
        md.enums(),
        &[OrderStatus::enum_type(), Feeling::enum_type()]
    );
    md.validate()
        .expect("the enum types are registered, so the model is valid");
}

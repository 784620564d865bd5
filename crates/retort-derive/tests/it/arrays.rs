//! `Vec<T>` fields as arrays, nested as deep as the `Vec`s, with `length` sizing the innermost
//! text element, and arrays of a `#[derive(DbEnum)]` registering the enum type.

use retort::core::{EnumType, MetaData, Type};
use retort::prelude::*;

#[derive(DbEnum)]
#[allow(dead_code)]
enum Colour {
    Red,
    Green,
}

#[derive(Model)]
#[retort(table = "posts")]
#[allow(dead_code)]
struct Post {
    #[retort(primary_key)]
    id: i32,
    tags: Vec<String>,
    scores: Vec<i32>,
    #[retort(length = 20)]
    grid: Vec<Vec<String>>,
    #[retort(length(8))]
    codes: Option<Vec<String>>,
    #[retort(length = 3)]
    short: String,
    matrix: Option<Vec<Vec<f64>>>,
    colours: Vec<Colour>,
    blob: Vec<u8>,
}

#[test]
fn vec_fields_are_arrays_nested_and_sized() {
    let t = Post::table();
    let ty = |name: &str| {
        let c = t.get_column(name).expect(name);
        (c.ty.clone(), c.nullable)
    };
    let varchar = |n| Type::Varchar(Some(n));
    assert_eq!(ty("tags"), (Type::array(Type::Varchar(None)), false));
    assert_eq!(ty("scores"), (Type::array(Type::Integer), false));
    assert_eq!(ty("grid"), (Type::array(Type::array(varchar(20))), false));
    assert_eq!(ty("codes"), (Type::array(varchar(8)), true));
    assert_eq!(ty("short"), (varchar(3), false));
    assert_eq!(ty("matrix"), (Type::array(Type::array(Type::Double)), true));
    assert_eq!(
        ty("colours"),
        (Type::array(Type::enumeration("colour")), false)
    );
    assert_eq!(ty("blob"), (Type::Binary, false), "bytes stay bytes");
}

#[test]
fn an_array_of_an_enum_registers_the_enum_type() {
    let md = MetaData::new().with::<Post>();
    assert_eq!(md.enums(), [EnumType::new("colour", ["red", "green"])]);
    assert!(md.validate().is_ok(), "{:?}", md.validate());
}

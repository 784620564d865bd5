//! Relationship fields: kinds, targets, back_populates, cascade and association tables.

use retort::core::{Cascade, Relationship, RelationshipKind};
use retort::prelude::*;

#[derive(Model)]
#[retort(table = "authors")]
#[allow(dead_code)]
pub struct Author {
    #[retort(primary_key, identity = "always")]
    id: i32,
    #[retort(back_populates = "author", cascade = "all, delete-orphan")]
    books: HasMany<Book>,
    #[retort(back_populates = "author")]
    profile: retort::HasOne<Profile>,
}

#[derive(Model)]
#[retort(table = "books")]
#[allow(dead_code)]
pub struct Book {
    #[retort(primary_key)]
    id: i32,
    #[retort(foreign_key = "authors.id", on_delete = "cascade")]
    author_id: i32,
    #[retort(back_populates = "books")]
    author: BelongsTo<Author>,
    #[retort(
        secondary = "book_tags",
        through = BookTag,
        back_populates = "books",
        cascade = "save-update"
    )]
    tags: ManyToMany<Tag>,
}

#[derive(Model)]
#[retort(table = "profiles")]
#[allow(dead_code)]
pub struct Profile {
    #[retort(primary_key, foreign_key = "authors.id")]
    author_id: i32,
    #[retort(back_populates = "profile")]
    author: BelongsTo<Author>,
}

#[derive(Model)]
#[retort(table = "tags")]
#[allow(dead_code)]
pub struct Tag {
    #[retort(primary_key)]
    id: i32,
    #[retort(secondary = "book_tags", through = BookTag, back_populates = "tags")]
    books: ManyToMany<Book>,
}

#[derive(Model)]
#[retort(table = "book_tags", primary_key(columns("book_id", "tag_id")))]
#[allow(dead_code)]
pub struct BookTag {
    #[retort(foreign_key = "books.id")]
    book_id: i32,
    #[retort(foreign_key = "tags.id")]
    tag_id: i32,
}

#[test]
fn relationships_are_not_columns() {
    let t = Author::table();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id"]);
}

#[test]
fn relationship_kinds_targets_and_options() {
    let all_orphan = Cascade::parse("all, delete-orphan").expect("valid cascade");
    assert_eq!(
        Author::table().relationships,
        vec![
            Relationship {
                field: "books".into(),
                kind: RelationshipKind::OneToMany,
                target_model: "Book".into(),
                target_table: "books".into(),
                back_populates: Some("author".into()),
                cascade: all_orphan,
                passive_deletes: false,
                foreign_keys: Vec::new(),
            },
            Relationship {
                field: "profile".into(),
                kind: RelationshipKind::OneToOne,
                target_model: "Profile".into(),
                target_table: "profiles".into(),
                back_populates: Some("author".into()),
                cascade: Cascade::default(),
                passive_deletes: false,
                foreign_keys: Vec::new(),
            },
        ]
    );
    let book = Book::table();
    assert_eq!(book.relationships[0].kind, RelationshipKind::ManyToOne);
    assert_eq!(book.relationships[0].cascade, Cascade::default());
    assert_eq!(
        book.relationships[1].kind,
        RelationshipKind::ManyToMany {
            secondary: "book_tags".into()
        }
    );
    let save_update = book.relationships[1].cascade;
    assert!(save_update.save_update && !save_update.merge && !save_update.delete);
}

#[test]
fn a_consistent_model_validates() {
    let md = MetaData::new()
        .with::<Author>()
        .with::<Book>()
        .with::<Profile>()
        .with::<Tag>()
        .with::<BookTag>();
    md.validate()
        .expect("every relationship has a foreign-key path and points back");
}

/// The same relationships as `Author`, declared on the struct: no field to fill.
#[derive(Model)]
#[retort(
    table = "authors",
    has_many(books = Book, back_populates = "author", cascade = "all, delete-orphan"),
    has_one(profile = Profile, back_populates = "author")
)]
#[allow(dead_code)]
pub struct PlainAuthor {
    #[retort(primary_key, identity = "always")]
    id: i32,
}

#[test]
fn struct_level_relationships_record_what_fields_do_and_leave_the_struct_plain() {
    let _built_without_relationships = PlainAuthor { id: 1 };
    assert_eq!(
        PlainAuthor::table().relationships,
        Author::table().relationships
    );
    assert_eq!(PlainAuthor::books.name(), "books");
    let names: Vec<&str> = <PlainAuthor as retort::core::record::Record>::relations()
        .iter()
        .map(|r| r.field)
        .collect();
    assert_eq!(names, ["books", "profile"]);
    assert_eq!(
        (<PlainAuthor as retort::core::record::Record>::relations()[0].target_table)().name,
        "books"
    );
}

/// Two foreign keys to one table: each relationship between the two names the key it
/// follows (SQLAlchemy's `foreign_keys=[..]`), on the struct and on a field, in both forms.
#[derive(Model)]
#[retort(
    table = "people",
    has_many(as_a = Marriage, back_populates = "a", foreign_keys = "a_id"),
    has_many(as_b = Marriage, back_populates = "b", foreign_keys("b_id"))
)]
#[allow(dead_code)]
pub struct Person {
    #[retort(primary_key)]
    id: i32,
}

#[derive(Model)]
#[retort(
    table = "marriages",
    belongs_to(b = Person, back_populates = "as_b", foreign_keys = "b_id"),
    belongs_to(previous = Marriage)
)]
#[allow(dead_code)]
pub struct Marriage {
    #[retort(primary_key)]
    id: i32,
    #[retort(foreign_key = "people.id")]
    a_id: i32,
    #[retort(foreign_key = "people.id")]
    b_id: i32,
    #[retort(foreign_key = "marriages.id")]
    previous_id: Option<i32>,
    #[retort(back_populates = "as_a", foreign_keys = "a_id")]
    a: BelongsTo<Person>,
}

/// `people` again, its relationships to `marriages` naming no key, or one that is not there.
#[derive(Model)]
#[retort(
    table = "people",
    has_many(marriages = Marriage),
    has_one(wrong = Marriage, foreign_keys = "previous_id"),
    has_many(pair = Marriage, foreign_keys = "a_id, b_id")
)]
#[allow(dead_code)]
pub struct Unsure {
    #[retort(primary_key)]
    id: i32,
}

#[test]
fn foreign_keys_names_the_key_a_relationship_follows() {
    let fks = |t: Table| -> Vec<(String, Vec<String>)> {
        t.relationships
            .into_iter()
            .map(|r| (r.field, r.foreign_keys))
            .collect()
    };
    let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        fks(Person::table()),
        [("as_a".into(), v(&["a_id"])), ("as_b".into(), v(&["b_id"]))]
    );
    assert_eq!(
        fks(Marriage::table()),
        [
            ("b".into(), v(&["b_id"])),
            ("previous".into(), v(&[])),
            ("a".into(), v(&["a_id"]))
        ]
    );
    assert_eq!(fks(Unsure::table())[2].1, v(&["a_id", "b_id"]));
    MetaData::new()
        .with::<Person>()
        .with::<Marriage>()
        .validate()
        .expect("each relationship names one of the two keys; `previous` has one key to follow");
}

#[test]
fn two_foreign_keys_and_no_foreign_keys_is_ambiguous() {
    let errors = MetaData::new()
        .with::<Unsure>()
        .with::<Marriage>()
        .validate()
        .expect_err("ambiguous");
    let errors: Vec<String> = errors
        .errors()
        .iter()
        .map(ToString::to_string)
        .filter(|e| e.starts_with("Unsure."))
        .collect();
    assert_eq!(
        errors,
        [
            "Unsure.marriages: 2 foreign keys from `marriages` to `people` (`a_id`; `b_id`), and the relationship names none; \
             say which it follows with `foreign_keys = \"a_id\"` (SQLAlchemy's foreign_keys=[..])",
            "Unsure.wrong: foreign_keys = \"previous_id\" names no foreign key from `marriages` to `people`; \
             its keys there: (`a_id`; `b_id`)",
            "Unsure.pair: foreign_keys = \"a_id, b_id\" names no foreign key from `marriages` to `people`; \
             its keys there: (`a_id`; `b_id`)",
        ]
    );
}

//! Relationships through the runtime on PostgreSQL, SQLite and MariaDB: batched loading (one query a
//! relationship, whatever the number of parents), writing through the parent, and one test
//! a cascade option as SQLAlchemy defines it (`delete`, `delete-orphan`, `save-update`,
//! `all`). The cascade tests' foreign keys have no `ON DELETE CASCADE`: what goes there, the
//! runtime deletes (the `passive_deletes` tests give the database one on purpose).

use ecommerce::{Customer, Order};
use retort::dialect::{Dialect, Mysql, Postgres, Sqlite};
use retort::orm::{Db, Error};
use retort::prelude::*;
use retort_testkit::{db_test, BoxError, TestDb, TestDialect};

/// A shelf and one kind of child a cascade option.
#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "shelves",
    has_many(books = Book, back_populates = "shelf", cascade = "delete"),
    has_many(leaflets = Leaflet, cascade = "save-update, delete-orphan"),
    has_many(cards = Card, cascade = "save-update"),
    has_many(bins = Bin, cascade = "all"),
    has_many(tags = Tag, cascade = "none"),
    has_many(notes = Note, passive_deletes = true)
)]
struct Shelf {
    #[retort(primary_key, identity = "by_default")]
    shelf_id: i64,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "books",
    belongs_to(shelf = Shelf, back_populates = "books"),
    has_many(pages = Page, cascade = "delete")
)]
struct Book {
    #[retort(primary_key, identity = "by_default")]
    book_id: i64,
    #[retort(foreign_key = "shelves.shelf_id")]
    shelf_id: i64,
    title: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "pages")]
struct Page {
    #[retort(primary_key, identity = "by_default")]
    page_id: i64,
    #[retort(foreign_key = "books.book_id")]
    book_id: i64,
    n: i32,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "leaflets")]
struct Leaflet {
    #[retort(primary_key, identity = "by_default")]
    leaflet_id: i64,
    #[retort(foreign_key = "shelves.shelf_id")]
    shelf_id: i64,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "cards",
    check(expr = "length(text) > 0", name = "ck_cards_text"),
    belongs_to(shelf = Shelf)
)]
struct Card {
    #[retort(primary_key, identity = "by_default")]
    card_id: i64,
    #[retort(foreign_key = "shelves.shelf_id")]
    shelf_id: Option<i64>,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "bins")]
struct Bin {
    #[retort(primary_key, identity = "by_default")]
    bin_id: i64,
    #[retort(foreign_key = "shelves.shelf_id")]
    shelf_id: Option<i64>,
    label: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "tags")]
struct Tag {
    #[retort(primary_key, identity = "by_default")]
    tag_id: i64,
    #[retort(foreign_key = "shelves.shelf_id")]
    shelf_id: i64,
    word: String,
}

/// A child left to the database's `ON DELETE CASCADE` (`passive_deletes`).
#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "notes")]
struct Note {
    #[retort(primary_key, identity = "by_default")]
    note_id: i64,
    #[retort(foreign_key = "shelves.shelf_id", on_delete = "cascade")]
    shelf_id: i64,
    body: String,
}

async fn setup(db: &TestDb) -> Result<Db, BoxError> {
    // With `order_items`: deleting a customer cascades to its orders' lines (`Order::items`).
    let md = ecommerce::tables()
        .with::<Shelf>()
        .with::<Book>()
        .with::<Page>()
        .with::<Leaflet>()
        .with::<Card>()
        .with::<Bin>()
        .with::<Tag>()
        .with::<Note>();
    Ok(match db.dialect() {
        TestDialect::Postgres => {
            db.execute_all(&Postgres.create_all(&md)?).await?;
            Db::from(db.pg_pool().clone())
        }
        TestDialect::Sqlite => {
            db.execute_all(&Sqlite.create_all(&md)?).await?;
            Db::from(db.sqlite_pool().clone())
        }
        TestDialect::Mysql => {
            db.execute_all(&Mysql.create_all(&md)?).await?;
            Db::from(db.mysql_pool().clone())
        }
        other => panic!("not a runtime backend: {other:?}"),
    })
}

/// More tables on the test's database, in its dialect.
async fn create(db: &TestDb, md: &MetaData) -> Result<(), BoxError> {
    match db.dialect() {
        TestDialect::Postgres => db.execute_all(&Postgres.create_all(md)?).await?,
        TestDialect::Sqlite => db.execute_all(&Sqlite.create_all(md)?).await?,
        TestDialect::Mysql => db.execute_all(&Mysql.create_all(md)?).await?,
        other => panic!("not a runtime backend: {other:?}"),
    }
    Ok(())
}

fn customer(n: usize) -> Customer {
    Customer {
        customer_id: 0,
        first_name: format!("c{n}"),
        last_name: "L".into(),
        email_address: format!("c{n}@example.com"),
    }
}

fn order() -> Order {
    Order {
        order_id: 0,
        customer_id: 0,
        order_date: chrono::DateTime::<chrono::Utc>::MIN_UTC,
    }
}

async fn shelf(orm: &Db, name: &str) -> Result<Shelf, Error> {
    Shelf {
        shelf_id: 0,
        name: name.into(),
    }
    .insert(orm)
    .await
}

db_test!(
    has_many_and_belongs_to_load_for_a_list_of_parents,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let customers =
            Customer::insert_many(&orm, &(0..5).map(customer).collect::<Vec<_>>()).await?;
        // Customer i gets i orders, each through the parent: the key is set from it.
        for (i, c) in customers.iter().enumerate() {
            for _ in 0..i {
                let o = Customer::orders.add(&orm, c, order()).await?;
                assert_eq!(o.customer_id, c.customer_id, "write-through set the key");
            }
        }
        let loaded = Customer::orders.load(&orm, &customers).await?;
        let counts: Vec<usize> = loaded.iter().map(Vec::len).collect();
        assert_eq!(counts, [0, 1, 2, 3, 4], "in the parents' order");
        for (c, orders) in customers.iter().zip(&loaded) {
            assert!(orders.iter().all(|o| o.customer_id == c.customer_id));
        }

        let orders = Order::find()
            .order_by(Order::order_id.asc())
            .all(&orm)
            .await?;
        let owners = Order::customer.load(&orm, &orders).await?;
        assert_eq!(owners.len(), orders.len());
        for (o, c) in orders.iter().zip(&owners) {
            assert_eq!(c.as_ref().map(|c| c.customer_id), Some(o.customer_id));
        }
        assert_eq!(
            Order::customer.load_one(&orm, &orders[0]).await?,
            Some(customers[1].clone())
        );
        assert!(Customer::orders.load(&orm, &[]).await?.is_empty());
        Ok(())
    }
);

db_test!(
    belongs_to_joins_the_parent_in_one_statement,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let customers =
            Customer::insert_many(&orm, &(0..3).map(customer).collect::<Vec<_>>()).await?;
        for (i, c) in customers.iter().enumerate() {
            for _ in 0..=i {
                Customer::orders.add(&orm, c, order()).await?;
            }
        }
        // `orders` and `customers` both have a `customer_id`: the filter, the order and the
        // columns read must each say whose it is.
        let pairs = Order::find()
            .filter(Order::customer_id.ne(customers[0].customer_id))
            .order_by(Order::customer_id.desc())
            .with(Order::customer)
            .order_by(Order::order_id.asc())
            .offset(1)
            .limit(3)
            .all(&orm)
            .await?;
        let seen: Vec<(i32, Option<String>)> = pairs
            .iter()
            .map(|(o, c)| (o.customer_id, c.as_ref().map(|c| c.first_name.clone())))
            .collect();
        let (c1, c2) = (customers[1].customer_id, customers[2].customer_id);
        assert_eq!(
            seen,
            [
                (c2, Some("c2".to_string())),
                (c2, Some("c2".to_string())),
                (c1, Some("c1".to_string()))
            ],
            "the third customer's orders first, the first skipped, three of five"
        );
        for (o, c) in &pairs {
            assert_eq!(c.as_ref().map(|c| c.customer_id), Some(o.customer_id));
        }
        // The same rows a find returns, the parents a selectin load returns.
        let all = Order::find()
            .order_by(Order::order_id.asc())
            .with(Order::customer)
            .all(&orm)
            .await?;
        let orders = Order::find()
            .order_by(Order::order_id.asc())
            .all(&orm)
            .await?;
        let owners = Order::customer.load(&orm, &orders).await?;
        assert_eq!(all, orders.into_iter().zip(owners).collect::<Vec<_>>());
        let first = Order::find()
            .filter(Order::customer_id.eq(customers[0].customer_id))
            .with(Order::customer)
            .one(&orm)
            .await?;
        assert_eq!(first.and_then(|(_, c)| c), Some(customers[0].clone()));

        // A nullable foreign key: a card on no shelf comes with `None`.
        let top = shelf(&orm, "top").await?;
        let card = |shelf_id: Option<i64>, text: &str| Card {
            card_id: 0,
            shelf_id,
            text: text.into(),
        };
        Card::insert_many(&orm, &[card(Some(top.shelf_id), "on"), card(None, "loose")]).await?;
        let cards = Card::find()
            .order_by(Card::card_id.asc())
            .with(Card::shelf)
            .all(&orm)
            .await?;
        let cards: Vec<(&str, Option<&str>)> = cards
            .iter()
            .map(|(c, s)| (c.text.as_str(), s.as_ref().map(|s| s.name.as_str())))
            .collect();
        assert_eq!(cards, [("on", Some("top")), ("loose", None)]);
        Ok(())
    }
);

db_test!(
    loading_more_parents_than_one_statement_binds,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        // More parents than the parameter limit (PostgreSQL and MariaDB 65,535, SQLite 32,766): the IN
        // list is split, and every parent still gets its rows.
        let n = match db.dialect() {
            TestDialect::Sqlite => 32_800,
            // MariaDB's limit (65,535) is PostgreSQL's.
            _ => 65_600,
        };
        let customers =
            Customer::insert_many(&orm, &(0..n).map(customer).collect::<Vec<_>>()).await?;
        let last = customers.last().expect("rows");
        let first = &customers[0];
        Customer::orders.add(&orm, first, order()).await?;
        Customer::orders.add(&orm, last, order()).await?;
        let loaded = Customer::orders.load(&orm, &customers).await?;
        assert_eq!(loaded.len(), n);
        assert_eq!(loaded[0].len(), 1);
        assert_eq!(loaded[n - 1].len(), 1, "the last chunk's parent too");
        assert_eq!(loaded.iter().map(Vec::len).sum::<usize>(), 2);
        Ok(())
    }
);

db_test!(
    cascade_delete_removes_children_through_the_runtime,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let a = shelf(&orm, "a").await?;
        let b = shelf(&orm, "b").await?;
        for s in [&a, &b] {
            for t in ["x", "y"] {
                let book = Book {
                    book_id: 0,
                    shelf_id: 0,
                    title: t.into(),
                };
                let book = Shelf::books.add(&orm, s, book).await?;
                let page = Page {
                    page_id: 0,
                    book_id: 0,
                    n: 1,
                };
                Book::pages.add(&orm, &book, page).await?;
            }
        }
        // No ON DELETE CASCADE: the database alone would refuse this delete.
        assert!(a.delete(&orm).await?);
        assert_eq!(
            Book::find()
                .filter(Book::shelf_id.eq(a.shelf_id))
                .count(&orm)
                .await?,
            0
        );
        assert_eq!(Book::find().count(&orm).await?, 2, "b's books stay");
        assert_eq!(
            Page::find().count(&orm).await?,
            2,
            "pages of a's books went (delete, again)"
        );
        assert!(Shelf::delete_by_key(&orm, b.shelf_id).await?);
        assert_eq!(Book::find().count(&orm).await?, 0);
        assert_eq!(Page::find().count(&orm).await?, 0);

        // Without `delete`, the tag's key would be set to NULL, which its NOT NULL refuses
        // (SQLAlchemy's error, typed), and the transaction left everything.
        let c = shelf(&orm, "c").await?;
        let tag = Tag {
            tag_id: 0,
            shelf_id: 0,
            word: "w".into(),
        };
        Shelf::tags.add(&orm, &c, tag).await?;
        let book = Book {
            book_id: 0,
            shelf_id: 0,
            title: "z".into(),
        };
        Shelf::books.add(&orm, &c, book).await?;
        let err = c
            .delete(&orm)
            .await
            .expect_err("the tag still refers to the shelf");
        assert!(
            matches!(
                err,
                Error::ForeignKeyNotNull {
                    relationship: "tags",
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(
            Book::find().count(&orm).await?,
            1,
            "rolled back: the book is back"
        );
        Ok(())
    }
);

db_test!(
    cascade_delete_orphan_deletes_a_child_taken_out,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let s = shelf(&orm, "s").await?;
        for t in ["one", "two", "three"] {
            let l = Leaflet {
                leaflet_id: 0,
                shelf_id: 0,
                text: t.into(),
            };
            Shelf::leaflets.add(&orm, &s, l).await?;
        }
        let mut leaflets = Shelf::leaflets.children(&orm, &s).await?;
        assert_eq!(leaflets.len(), 3);
        leaflets.retain(|l| l.text != "two");
        leaflets[0].text = "uno".into();
        let saved = leaflets.save(&orm).await?;
        assert_eq!(saved.len(), 2);
        let mut left: Vec<String> = Leaflet::find()
            .all(&orm)
            .await?
            .into_iter()
            .map(|l| l.text)
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["three", "uno"],
            "the orphan deleted, the kept one saved"
        );
        Ok(())
    }
);

db_test!(
    cascade_save_update_inserts_children_with_the_parent,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let card = |t: &str| Card {
            card_id: 0,
            shelf_id: None,
            text: t.into(),
        };
        let (s, cards) = Shelf::cards
            .insert_with(
                &orm,
                &Shelf {
                    shelf_id: 0,
                    name: "new".into(),
                },
                vec![card("a"), card("b")],
            )
            .await?;
        assert!(s.shelf_id > 0);
        assert_eq!(cards.len(), 2);
        assert!(cards
            .iter()
            .all(|c| c.shelf_id == Some(s.shelf_id) && c.card_id > 0));
        assert_eq!(
            Card::find()
                .filter(Card::shelf_id.eq(s.shelf_id))
                .count(&orm)
                .await?,
            2
        );

        // A new child added to a loaded collection is inserted with its key; one taken out
        // without delete-orphan is de-associated (its key set to NULL), not deleted.
        let mut coll = Shelf::cards.children(&orm, &s).await?;
        coll.retain(|c| c.text != "a");
        coll.push(card("c"));
        coll.save(&orm).await?;
        let a = Card::find()
            .filter(Card::text.eq("a"))
            .one(&orm)
            .await?
            .expect("kept");
        assert_eq!(a.shelf_id, None);
        assert_eq!(
            Card::find()
                .filter(Card::shelf_id.eq(s.shelf_id))
                .count(&orm)
                .await?,
            2
        );

        // One transaction: a child that fails (the check on its text) takes the parent along.
        let before = Shelf::find().count(&orm).await?;
        let err = Shelf::cards
            .insert_with(
                &orm,
                &Shelf {
                    shelf_id: 0,
                    name: "bad".into(),
                },
                vec![card("ok"), card("")],
            )
            .await
            .expect_err("an empty text breaks the check");
        assert!(err.violation().is_some(), "{err}");
        assert_eq!(
            Shelf::find().count(&orm).await?,
            before,
            "the parent rolled back"
        );

        // Without save-update the runtime refuses rather than drop the children silently.
        let tag = Tag {
            tag_id: 0,
            shelf_id: 0,
            word: "t".into(),
        };
        let err = Shelf::tags
            .insert_with(
                &orm,
                &Shelf {
                    shelf_id: 0,
                    name: "t".into(),
                },
                vec![tag],
            )
            .await
            .expect_err("tags has cascade none");
        assert!(
            matches!(
                err,
                Error::Relationship {
                    relationship: "tags",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("save-update"), "{err}");
        Ok(())
    }
);

db_test!(
    cascade_all_is_save_update_and_delete,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let bin = |l: &str| Bin {
            bin_id: 0,
            shelf_id: None,
            label: l.into(),
        };
        let (s, _) = Shelf::bins
            .insert_with(
                &orm,
                &Shelf {
                    shelf_id: 0,
                    name: "all".into(),
                },
                vec![bin("p"), bin("q"), bin("r")],
            )
            .await?;
        assert_eq!(Bin::find().count(&orm).await?, 3, "save-update");
        // `all` has no delete-orphan: a bin taken out stays, without its shelf.
        let mut bins = Shelf::bins.children(&orm, &s).await?;
        bins.retain(|b| b.label != "p");
        bins.save(&orm).await?;
        assert_eq!(
            Bin::find()
                .filter(Bin::shelf_id.is_null())
                .count(&orm)
                .await?,
            1
        );
        // ... and deleting the shelf deletes its bins (delete).
        assert!(s.delete(&orm).await?);
        let left: Vec<String> = Bin::find()
            .all(&orm)
            .await?
            .into_iter()
            .map(|b| b.label)
            .collect();
        assert_eq!(left, ["p"]);
        Ok(())
    }
);

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "students",
    many_to_many(courses = Course, secondary = "enrollments", through = Enrollment)
)]
struct Student {
    #[retort(primary_key, identity = "by_default")]
    student_id: i64,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "courses")]
struct Course {
    #[retort(primary_key, identity = "by_default")]
    course_id: i64,
    title: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "enrollments", primary_key(columns("student_id", "course_id")))]
struct Enrollment {
    #[retort(foreign_key = "students.student_id")]
    student_id: i64,
    #[retort(foreign_key = "courses.course_id")]
    course_id: i64,
}

db_test!(
    many_to_many_loads_adds_attaches_and_deletes_association_rows,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let md = MetaData::new()
            .with::<Student>()
            .with::<Course>()
            .with::<Enrollment>();
        create(&db, &md).await?;
        let student = |n: &str| Student {
            student_id: 0,
            name: n.into(),
        };
        let course = |t: &str| Course {
            course_id: 0,
            title: t.into(),
        };
        let ann = student("ann").insert(&orm).await?;
        let ben = student("ben").insert(&orm).await?;
        let _nobody = student("cy").insert(&orm).await?;
        let math = Student::courses.add(&orm, &ann, course("math")).await?;
        Student::courses.add(&orm, &ann, course("art")).await?;
        Student::courses.attach(&orm, &ben, &math).await?;
        assert_eq!(Enrollment::find().count(&orm).await?, 3);

        let students = Student::find()
            .order_by(Student::student_id.asc())
            .all(&orm)
            .await?;
        let loaded = Student::courses.load(&orm, &students).await?;
        let titles: Vec<Vec<String>> = loaded
            .into_iter()
            .map(|cs| {
                let mut t: Vec<String> = cs.into_iter().map(|c| c.title).collect();
                t.sort();
                t
            })
            .collect();
        assert_eq!(titles, [vec!["art", "math"], vec!["math"], vec![]]);

        // Deleting a student deletes its association rows (as SQLAlchemy does), not the courses.
        assert!(ann.delete(&orm).await?);
        assert_eq!(Enrollment::find().count(&orm).await?, 1);
        assert_eq!(Course::find().count(&orm).await?, 2);
        assert_eq!(Student::courses.load_one(&orm, &ben).await?, vec![math]);
        Ok(())
    }
);

// A many-to-many whose association table has no model: SQLAlchemy's
// `relationship(secondary=association_table)`, the table a function here.

/// `memberships`, as SQLAlchemy's `Table("memberships", metadata, Column(..), ..)`.
fn memberships() -> Table {
    Table::new("memberships")
        .column(Column::new("club_id", Type::BigInt).not_null())
        .column(Column::new("person_id", Type::BigInt).not_null())
        .primary_key(["club_id", "person_id"])
        .foreign_key(ForeignKey::new(["club_id"], "clubs", ["club_id"]))
        .foreign_key(ForeignKey::new(["person_id"], "people", ["person_id"]))
}

/// `club_badges`, for a many-to-many whose cascade deletes a badge taken out.
fn club_badges() -> Table {
    Table::new("club_badges")
        .column(Column::new("club_id", Type::BigInt).not_null())
        .column(Column::new("badge_id", Type::BigInt).not_null())
        .primary_key(["club_id", "badge_id"])
        .foreign_key(ForeignKey::new(["club_id"], "clubs", ["club_id"]))
        .foreign_key(ForeignKey::new(["badge_id"], "badges", ["badge_id"]))
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "clubs",
    many_to_many(members = Person, secondary = memberships),
    many_to_many(badges = Badge, secondary = club_badges, cascade = "save-update, delete-orphan")
)]
struct Club {
    #[retort(primary_key, identity = "by_default")]
    club_id: i64,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "people",
    check(expr = "length(name) > 0", name = "ck_people_name")
)]
struct Person {
    #[retort(primary_key, identity = "by_default")]
    person_id: i64,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "badges")]
struct Badge {
    #[retort(primary_key, identity = "by_default")]
    badge_id: i64,
    label: String,
}

/// The association rows, read for the assertions only (not in the MetaData, not a `through`).
#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "memberships", primary_key(columns("club_id", "person_id")))]
struct MembershipRow {
    club_id: i64,
    person_id: i64,
}

async fn clubs_setup(db: &TestDb) -> Result<Db, BoxError> {
    let orm = setup(db).await?;
    let md = MetaData::new()
        .with::<Club>()
        .with::<Person>()
        .with::<Badge>()
        .table(memberships())
        .table(club_badges());
    md.validate()?;
    create(db, &md).await?;
    Ok(orm)
}

fn person(n: &str) -> Person {
    Person {
        person_id: 0,
        name: n.into(),
    }
}

fn club(n: &str) -> Club {
    Club {
        club_id: 0,
        name: n.into(),
    }
}

fn sorted_names(people: Vec<Person>) -> Vec<String> {
    let mut n: Vec<String> = people.into_iter().map(|p| p.name).collect();
    n.sort();
    n
}

db_test!(
    many_to_many_through_a_secondary_table_loads_and_writes,
    [postgres, sqlite, mysql],
    |db| {
        let orm = clubs_setup(&db).await?;
        let chess = club("chess").insert(&orm).await?;
        let go = club("go").insert(&orm).await?;
        let _empty = club("empty").insert(&orm).await?;
        let ann = Club::members.add(&orm, &chess, person("ann")).await?;
        Club::members.add(&orm, &chess, person("bo")).await?;
        Club::members.attach(&orm, &go, &ann).await?;
        assert_eq!(MembershipRow::find().count(&orm).await?, 3);

        // One query joining the association table for every club, in the clubs' order.
        let clubs = Club::find().order_by(Club::club_id.asc()).all(&orm).await?;
        let loaded = Club::members.load(&orm, &clubs).await?;
        let names: Vec<Vec<String>> = loaded.into_iter().map(sorted_names).collect();
        assert_eq!(names, [vec!["ann", "bo"], vec!["ann"], vec![]]);

        // The collection written through: an existing person added gets an association row
        // (not a second person), a new one is inserted first, one taken out loses only its
        // association row (no delete-orphan: the person stays).
        let cy = person("cy").insert(&orm).await?;
        let mut members = Club::members.children(&orm, &go).await?;
        members.push(cy.clone());
        members.push(person("dee"));
        members.retain(|p| p.name != "ann");
        let saved = members.save(&orm).await?;
        assert_eq!(sorted_names(saved.clone()), ["cy", "dee"]);
        assert!(saved.iter().all(|p| p.person_id > 0));
        assert_eq!(
            Person::find().count(&orm).await?,
            4,
            "ann kept, dee inserted"
        );
        assert_eq!(
            sorted_names(Club::members.load_one(&orm, &go).await?),
            ["cy", "dee"]
        );
        assert_eq!(
            sorted_names(Club::members.load_one(&orm, &chess).await?),
            ["ann", "bo"],
            "another club's rows untouched"
        );

        // Deleting a club deletes its association rows, never the people.
        assert!(chess.delete(&orm).await?);
        assert_eq!(MembershipRow::find().count(&orm).await?, 2);
        assert_eq!(Person::find().count(&orm).await?, 4);
        Ok(())
    }
);

db_test!(
    many_to_many_delete_orphan_deletes_the_child_taken_out,
    [postgres, sqlite, mysql],
    |db| {
        let orm = clubs_setup(&db).await?;
        let badge = |l: &str| Badge {
            badge_id: 0,
            label: l.into(),
        };
        let (c, badges) = Club::badges
            .insert_with(&orm, &club("c"), vec![badge("gold"), badge("silver")])
            .await?;
        assert_eq!(badges.len(), 2);
        let mut coll = Club::badges.children(&orm, &c).await?;
        assert_eq!(coll.len(), 2);
        coll.retain(|b| b.label != "gold");
        coll.save(&orm).await?;
        let left: Vec<String> = Badge::find()
            .all(&orm)
            .await?
            .into_iter()
            .map(|b| b.label)
            .collect();
        assert_eq!(left, ["silver"], "the orphan went with its association row");
        Ok(())
    }
);

db_test!(
    insert_with_through_many_to_many_inserts_association_rows,
    [postgres, sqlite, mysql],
    |db| {
        let orm = clubs_setup(&db).await?;
        let known = person("known").insert(&orm).await?;
        let (c, members) = Club::members
            .insert_with(&orm, &club("new"), vec![person("fresh"), known.clone()])
            .await?;
        assert!(c.club_id > 0);
        assert_eq!(members.len(), 2);
        assert_eq!(
            members[1], known,
            "an existing person is related, not inserted again"
        );
        assert_eq!(Person::find().count(&orm).await?, 2);
        assert_eq!(
            sorted_names(Club::members.load_one(&orm, &c).await?),
            ["fresh", "known"]
        );

        // One transaction: a child that fails (the check on its name) takes the club along.
        let before = Club::find().count(&orm).await?;
        let err = Club::members
            .insert_with(&orm, &club("bad"), vec![person("ok"), person("")])
            .await
            .expect_err("an empty name breaks the check");
        assert!(err.violation().is_some(), "{err}");
        assert_eq!(Club::find().count(&orm).await?, before);
        assert_eq!(MembershipRow::find().count(&orm).await?, 2);

        // Through an association model (`through = Enrollment`) as well.
        let md = MetaData::new()
            .with::<Student>()
            .with::<Course>()
            .with::<Enrollment>();
        create(&db, &md).await?;
        let course = |t: &str| Course {
            course_id: 0,
            title: t.into(),
        };
        let (s, courses) = Student::courses
            .insert_with(
                &orm,
                &Student {
                    student_id: 0,
                    name: "eve".into(),
                },
                vec![course("logic"), course("latin")],
            )
            .await?;
        assert_eq!(courses.len(), 2);
        assert_eq!(Enrollment::find().count(&orm).await?, 2);
        assert_eq!(Student::courses.load_one(&orm, &s).await?.len(), 2);
        Ok(())
    }
);

db_test!(
    deleting_a_parent_without_delete_cascade_nulls_the_children_keys,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        // `cards`: save-update only, a nullable key: SQLAlchemy loads the cards and sets
        // their key to NULL before it deletes the shelf (passive_deletes=False).
        let card = |t: &str| Card {
            card_id: 0,
            shelf_id: None,
            text: t.into(),
        };
        let (s, _) = Shelf::cards
            .insert_with(&orm, &shelf_value("s"), vec![card("a"), card("b")])
            .await?;
        let other = shelf(&orm, "other").await?;
        Shelf::cards.add(&orm, &other, card("c")).await?;
        assert!(s.delete(&orm).await?);
        assert_eq!(
            Card::find()
                .filter(Card::shelf_id.is_null())
                .count(&orm)
                .await?,
            2,
            "the cards stay, without their shelf"
        );
        assert_eq!(
            Card::find()
                .filter(Card::shelf_id.eq(other.shelf_id))
                .count(&orm)
                .await?,
            1,
            "another shelf's card untouched"
        );

        // `tags`: cascade none and a NOT NULL key: SQLAlchemy fails; a typed error names the
        // relationship and the column, and the transaction leaves everything.
        let t = shelf(&orm, "t").await?;
        let tag = Tag {
            tag_id: 0,
            shelf_id: 0,
            word: "w".into(),
        };
        Shelf::tags.add(&orm, &t, tag).await?;
        Shelf::cards.add(&orm, &t, card("d")).await?;
        let err = Shelf::delete_by_key(&orm, t.shelf_id)
            .await
            .expect_err("the tag's key cannot be NULL");
        assert!(
            matches!(
                &err,
                Error::ForeignKeyNotNull {
                    model: "Shelf",
                    relationship: "tags",
                    column,
                    ..
                } if column == "shelf_id"
            ),
            "{err}"
        );
        assert!(err.to_string().contains("tags"), "{err}");
        assert_eq!(
            Card::find()
                .filter(Card::shelf_id.eq(t.shelf_id))
                .count(&orm)
                .await?,
            1,
            "rolled back: the card keeps its shelf"
        );
        assert_eq!(
            Shelf::find()
                .filter(Shelf::shelf_id.eq(t.shelf_id))
                .count(&orm)
                .await?,
            1
        );

        // A shelf whose NOT NULL children are none deletes as before.
        let empty = shelf(&orm, "empty").await?;
        assert!(empty.delete(&orm).await?);
        Ok(())
    }
);

fn shelf_value(name: &str) -> Shelf {
    Shelf {
        shelf_id: 0,
        name: name.into(),
    }
}

// Relationships over a composite foreign key: a region is (country, code), and two regions
// share a code in different countries, so a match on one column would be wrong.

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "regions",
    primary_key(columns("country", "code")),
    has_many(offices = Office, back_populates = "region", cascade = "all, delete-orphan"),
    has_many(kiosks = Kiosk),
    many_to_many(labels = Label, secondary = region_labels)
)]
struct Region {
    country: String,
    code: i32,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "offices",
    foreign_key(columns("country", "region_code"), references = "regions(country, code)"),
    belongs_to(region = Region, back_populates = "offices")
)]
struct Office {
    #[retort(primary_key, identity = "by_default")]
    office_id: i64,
    country: String,
    region_code: i32,
    city: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "kiosks",
    foreign_key(
        columns("country", "region_code"),
        references = "regions(country, code)"
    ),
    belongs_to(region = Region)
)]
struct Kiosk {
    #[retort(primary_key, identity = "by_default")]
    kiosk_id: i64,
    country: Option<String>,
    region_code: Option<i32>,
    spot: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "labels")]
struct Label {
    #[retort(primary_key, identity = "by_default")]
    label_id: i64,
    text: String,
}

fn region_labels() -> Table {
    Table::new("region_labels")
        .column(Column::new("country", Type::Varchar(None)).not_null())
        .column(Column::new("region_code", Type::Integer).not_null())
        .column(Column::new("label_id", Type::BigInt).not_null())
        .primary_key(["country", "region_code", "label_id"])
        .foreign_key(ForeignKey::new(
            ["country", "region_code"],
            "regions",
            ["country", "code"],
        ))
        .foreign_key(ForeignKey::new(["label_id"], "labels", ["label_id"]))
}

async fn regions_setup(db: &TestDb) -> Result<Db, BoxError> {
    let orm = setup(db).await?;
    let md = MetaData::new()
        .with::<Region>()
        .with::<Office>()
        .with::<Kiosk>()
        .with::<Label>()
        .table(region_labels());
    md.validate()?;
    create(db, &md).await?;
    Ok(orm)
}

fn region(country: &str, code: i32) -> Region {
    Region {
        country: country.into(),
        code,
        name: format!("{country}-{code}"),
    }
}

fn office(city: &str) -> Office {
    Office {
        office_id: 0,
        country: String::new(),
        region_code: 0,
        city: city.into(),
    }
}

fn cities(offices: &[Office]) -> Vec<&str> {
    let mut c: Vec<&str> = offices.iter().map(|o| o.city.as_str()).collect();
    c.sort();
    c
}

db_test!(
    composite_foreign_keys_load_and_write_through,
    [postgres, sqlite, mysql],
    |db| {
        let orm = regions_setup(&db).await?;
        let fr = region("fr", 1).insert(&orm).await?;
        let de = region("de", 1).insert(&orm).await?;
        let fr2 = region("fr", 2).insert(&orm).await?;
        // Write-through sets both columns of the key from the parent's.
        let paris = Region::offices.add(&orm, &fr, office("paris")).await?;
        assert_eq!((paris.country.as_str(), paris.region_code), ("fr", 1));
        Region::offices.add(&orm, &de, office("berlin")).await?;
        Region::offices.add(&orm, &de, office("bonn")).await?;
        let (nz, _) = Region::offices
            .insert_with(&orm, &region("nz", 1), vec![office("auckland")])
            .await?;

        // One query for all the regions, matched on both columns.
        let regions = vec![fr.clone(), de.clone(), fr2.clone(), nz.clone()];
        let loaded = Region::offices.load(&orm, &regions).await?;
        let by_region: Vec<Vec<&str>> = loaded.iter().map(|o| cities(o)).collect();
        assert_eq!(
            by_region,
            [
                vec!["paris"],
                vec!["berlin", "bonn"],
                vec![],
                vec!["auckland"]
            ]
        );
        let offices = Office::find()
            .order_by(Office::office_id.asc())
            .all(&orm)
            .await?;
        let owners = Office::region.load(&orm, &offices).await?;
        let owners: Vec<Option<&str>> = owners
            .iter()
            .map(|r| r.as_ref().map(|r| r.name.as_str()))
            .collect();
        assert_eq!(
            owners,
            [Some("fr-1"), Some("de-1"), Some("de-1"), Some("nz-1")]
        );

        // The collection: delete-orphan on a composite key.
        let mut de_offices = Region::offices.children(&orm, &de).await?;
        de_offices.retain(|o| o.city != "bonn");
        de_offices.push(office("hamburg"));
        let saved = de_offices.save(&orm).await?;
        assert!(saved
            .iter()
            .all(|o| o.country == "de" && o.region_code == 1));
        assert_eq!(
            cities(&Region::offices.load_one(&orm, &de).await?),
            ["berlin", "hamburg"]
        );
        assert_eq!(Office::find().count(&orm).await?, 4, "bonn deleted");

        // Deleting a region: its offices go (delete), its kiosks keep their row with both
        // key columns set to NULL (no delete cascade).
        let kiosk = Kiosk {
            kiosk_id: 0,
            country: None,
            region_code: None,
            spot: "station".into(),
        };
        let kiosk = Region::kiosks.add(&orm, &de, kiosk).await?;
        assert_eq!(
            (kiosk.country.as_deref(), kiosk.region_code),
            (Some("de"), Some(1))
        );
        assert!(de.delete(&orm).await?);
        assert_eq!(Office::find().count(&orm).await?, 2);
        let kiosk = Kiosk::find().one(&orm).await?.expect("kept");
        assert_eq!((kiosk.country, kiosk.region_code), (None, None));
        assert_eq!(
            cities(&Region::offices.load_one(&orm, &fr).await?),
            ["paris"],
            "fr-1 untouched by de-1's delete"
        );
        Ok(())
    }
);

/// A desk has one lamp: a has-one, which `with` refuses (it joins a belongs-to only).
#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "desks", has_one(lamp = Lamp, back_populates = "desk"))]
struct Desk {
    #[retort(primary_key, identity = "by_default")]
    desk_id: i64,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "lamps", belongs_to(desk = Desk, back_populates = "lamp"))]
struct Lamp {
    #[retort(primary_key, identity = "by_default")]
    lamp_id: i64,
    #[retort(foreign_key = "desks.desk_id", unique)]
    desk_id: i64,
}

db_test!(
    with_joins_a_belongs_to_and_refuses_a_has_one,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        create(&db, &MetaData::new().with::<Desk>().with::<Lamp>()).await?;
        let desk = Desk { desk_id: 0 }.insert(&orm).await?;
        let lamp = Desk::lamp
            .add(
                &orm,
                &desk,
                Lamp {
                    lamp_id: 0,
                    desk_id: 0,
                },
            )
            .await?;
        let joined = Lamp::find().with(Lamp::desk).all(&orm).await?;
        assert_eq!(joined, [(lamp, Some(desk))]);
        match Desk::find().with(Desk::lamp).all(&orm).await {
            Err(Error::Relationship {
                relationship,
                problem,
                ..
            }) => {
                assert_eq!(relationship, "lamp");
                assert!(problem.contains("belongs-to"), "{problem}");
            }
            other => panic!("a has-one joined: {other:?}"),
        }
        Ok(())
    }
);

db_test!(
    belongs_to_joins_over_a_composite_key,
    [postgres, sqlite, mysql],
    |db| {
        let orm = regions_setup(&db).await?;
        // Two regions share code 1 (and `country` is a column of both tables): the join
        // matches on both columns, and a kiosk whose key is NULL comes with `None`.
        let fr = region("fr", 1).insert(&orm).await?;
        let de = region("de", 1).insert(&orm).await?;
        Region::offices.add(&orm, &fr, office("paris")).await?;
        Region::offices.add(&orm, &de, office("berlin")).await?;
        let offices = Office::find()
            .filter(Office::country.eq("de").or(Office::city.eq("paris")))
            .order_by(Office::city.asc())
            .with(Office::region)
            .all(&orm)
            .await?;
        let got: Vec<(&str, Option<&str>)> = offices
            .iter()
            .map(|(o, r)| (o.city.as_str(), r.as_ref().map(|r| r.name.as_str())))
            .collect();
        assert_eq!(got, [("berlin", Some("de-1")), ("paris", Some("fr-1"))]);

        let kiosk = |country: Option<&str>, spot: &str| Kiosk {
            kiosk_id: 0,
            country: country.map(Into::into),
            region_code: country.map(|_| 1),
            spot: spot.into(),
        };
        Kiosk::insert_many(
            &orm,
            &[kiosk(Some("de"), "station"), kiosk(None, "nowhere")],
        )
        .await?;
        let kiosks = Kiosk::find()
            .order_by(Kiosk::kiosk_id.asc())
            .with(Kiosk::region)
            .all(&orm)
            .await?;
        assert_eq!(kiosks.len(), 2);
        assert_eq!(kiosks[0].1, Some(de));
        assert_eq!(kiosks[1].1, None);
        assert_eq!(kiosks[1].0.spot, "nowhere");
        Ok(())
    }
);

db_test!(
    many_to_many_over_a_composite_key,
    [postgres, sqlite, mysql],
    |db| {
        let orm = regions_setup(&db).await?;
        let fr = region("fr", 1).insert(&orm).await?;
        let de = region("de", 1).insert(&orm).await?;
        let label = |t: &str| Label {
            label_id: 0,
            text: t.into(),
        };
        let sunny = Region::labels.add(&orm, &fr, label("sunny")).await?;
        Region::labels.attach(&orm, &de, &sunny).await?;
        let (fr3, _) = Region::labels
            .insert_with(&orm, &region("fr", 3), vec![label("hilly"), sunny.clone()])
            .await?;
        let loaded = Region::labels
            .load(&orm, &[fr.clone(), de.clone(), fr3.clone()])
            .await?;
        let counts: Vec<usize> = loaded.iter().map(Vec::len).collect();
        assert_eq!(counts, [1, 1, 2]);

        let mut de_labels = Region::labels.children(&orm, &de).await?;
        de_labels.clear();
        de_labels.push(label("rainy"));
        de_labels.save(&orm).await?;
        let de_loaded = Region::labels.load_one(&orm, &de).await?;
        assert_eq!(de_loaded.len(), 1);
        assert_eq!(de_loaded[0].text, "rainy");
        assert_eq!(Label::find().count(&orm).await?, 3, "sunny stays");
        assert_eq!(Region::labels.load_one(&orm, &fr).await?, vec![sunny]);
        assert!(fr3.delete(&orm).await?);
        assert_eq!(Label::find().count(&orm).await?, 3);
        Ok(())
    }
);

db_test!(
    passive_deletes_leaves_the_children_to_on_delete,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        // SQLAlchemy's passive_deletes=True: the runtime neither loads nor NULLs the notes
        // (their key is NOT NULL); the foreign key's ON DELETE CASCADE deletes them.
        let s = shelf(&orm, "s").await?;
        let keep = shelf(&orm, "keep").await?;
        for (parent, body) in [(&s, "a"), (&s, "b"), (&keep, "c")] {
            let note = Note {
                note_id: 0,
                shelf_id: 0,
                body: body.into(),
            };
            Shelf::notes.add(&orm, parent, note).await?;
        }
        assert!(s.delete(&orm).await?);
        let left: Vec<String> = Note::find()
            .all(&orm)
            .await?
            .into_iter()
            .map(|n| n.body)
            .collect();
        assert_eq!(left, ["c"]);
        Ok(())
    }
);

// A many-to-many with `passive_deletes`: SQLAlchemy leaves the association ("secondary")
// rows to the link table's `ON DELETE CASCADE` and sends no DELETE of them itself.

/// `crew_members`: its key to the crew is `ON DELETE CASCADE`.
fn crew_members() -> Table {
    Table::new("crew_members")
        .column(Column::new("crew_id", Type::BigInt).not_null())
        .column(Column::new("person_id", Type::BigInt).not_null())
        .primary_key(["crew_id", "person_id"])
        .foreign_key(
            ForeignKey::new(["crew_id"], "crews", ["crew_id"]).on_delete(FkAction::Cascade),
        )
        .foreign_key(ForeignKey::new(["person_id"], "people", ["person_id"]))
}

/// `crew_guests`: its key to the crew has no `ON DELETE`, so the database refuses to delete
/// a crew that still has guests (what shows the runtime sent no DELETE of them).
fn crew_guests() -> Table {
    Table::new("crew_guests")
        .column(Column::new("crew_id", Type::BigInt).not_null())
        .column(Column::new("person_id", Type::BigInt).not_null())
        .primary_key(["crew_id", "person_id"])
        .foreign_key(ForeignKey::new(["crew_id"], "crews", ["crew_id"]))
        .foreign_key(ForeignKey::new(["person_id"], "people", ["person_id"]))
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "crews",
    many_to_many(members = Person, secondary = crew_members, passive_deletes),
    many_to_many(guests = Person, secondary = crew_guests, passive_deletes)
)]
struct Crew {
    #[retort(primary_key, identity = "by_default")]
    crew_id: i64,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "crew_members", primary_key(columns("crew_id", "person_id")))]
struct CrewMemberRow {
    crew_id: i64,
    person_id: i64,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(table = "crew_guests", primary_key(columns("crew_id", "person_id")))]
struct CrewGuestRow {
    crew_id: i64,
    person_id: i64,
}

db_test!(
    passive_deletes_on_a_many_to_many_leaves_the_association_rows_to_on_delete,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let md = MetaData::new()
            .with::<Crew>()
            .with::<Person>()
            .table(crew_members())
            .table(crew_guests());
        md.validate()?;
        create(&db, &md).await?;
        let crew = |n: &str| Crew {
            crew_id: 0,
            name: n.into(),
        };

        // The link key cascades: the rows go with the crew, the people stay.
        let a = crew("a").insert(&orm).await?;
        let keep = crew("keep").insert(&orm).await?;
        let ann = Crew::members.add(&orm, &a, person("ann")).await?;
        Crew::members.add(&orm, &a, person("bo")).await?;
        Crew::members.attach(&orm, &keep, &ann).await?;
        assert!(a.delete(&orm).await?);
        let left: Vec<i64> = CrewMemberRow::find()
            .all(&orm)
            .await?
            .into_iter()
            .map(|r| r.crew_id)
            .collect();
        assert_eq!(left, [keep.crew_id], "the database deleted crew a's rows");
        assert_eq!(Person::find().count(&orm).await?, 2);

        // The link key does not cascade: the runtime sends no DELETE of the association
        // rows, so the database refuses the crew's and everything stays.
        let b = crew("b").insert(&orm).await?;
        Crew::guests.attach(&orm, &b, &ann).await?;
        let err = b
            .delete(&orm)
            .await
            .expect_err("the guest's row still refers to the crew");
        assert!(
            err.to_string().to_lowercase().contains("foreign key"),
            "{err}"
        );
        assert_eq!(Crew::find().count(&orm).await?, 2, "crew b kept");
        assert_eq!(CrewGuestRow::find().count(&orm).await?, 1);
        Ok(())
    }
);

/// Two foreign keys to one table, and one to itself: each relationship between the two
/// tables names the key it follows (SQLAlchemy's `foreign_keys=[..]`), in both forms.
#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "spouses",
    has_many(as_a = Wedding, back_populates = "a", foreign_keys = "a_id", cascade = "all"),
    has_many(as_b = Wedding, back_populates = "b", foreign_keys("b_id"))
)]
struct Spouse {
    #[retort(primary_key, identity = "by_default")]
    spouse_id: i64,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "weddings",
    belongs_to(a = Spouse, back_populates = "as_a", foreign_keys = "a_id"),
    belongs_to(b = Spouse, back_populates = "as_b", foreign_keys = "b_id"),
    // One key to itself among the three: nothing to pick.
    belongs_to(previous = Wedding)
)]
struct Wedding {
    #[retort(primary_key, identity = "by_default")]
    wedding_id: i64,
    #[retort(foreign_key = "spouses.spouse_id")]
    a_id: i64,
    #[retort(foreign_key = "spouses.spouse_id")]
    b_id: Option<i64>,
    #[retort(foreign_key = "weddings.wedding_id")]
    previous_id: Option<i64>,
    place: String,
}

async fn weddings_setup(db: &TestDb) -> Result<(Db, Vec<Spouse>), BoxError> {
    let md = MetaData::new().with::<Spouse>().with::<Wedding>();
    md.validate()?;
    create(db, &md).await?;
    let orm = match db.dialect() {
        TestDialect::Postgres => Db::from(db.pg_pool().clone()),
        TestDialect::Sqlite => Db::from(db.sqlite_pool().clone()),
        TestDialect::Mysql => Db::from(db.mysql_pool().clone()),
        other => panic!("not a runtime backend: {other:?}"),
    };
    let spouses = Spouse::insert_many(
        &orm,
        &["s0", "s1", "s2"].map(|n| Spouse {
            spouse_id: 0,
            name: n.into(),
        }),
    )
    .await?;
    Ok((orm, spouses))
}

fn wedding(b_id: Option<i64>, previous_id: Option<i64>, place: &str) -> Wedding {
    Wedding {
        wedding_id: 0,
        a_id: 0,
        b_id,
        previous_id,
        place: place.into(),
    }
}

fn places(ws: &[Wedding]) -> Vec<&str> {
    ws.iter().map(|w| w.place.as_str()).collect()
}

db_test!(
    two_keys_to_one_table_load_and_write_by_the_key_each_relationship_names,
    [postgres, sqlite, mysql],
    |db| {
        let (orm, s) = weddings_setup(&db).await?;
        let (s0, s1, s2) = (&s[0], &s[1], &s[2]);
        // `add` through `as_a` sets `a_id`, and leaves `b_id` as given.
        let w1 = Spouse::as_a
            .add(&orm, s0, wedding(Some(s1.spouse_id), None, "w1"))
            .await?;
        assert_eq!((w1.a_id, w1.b_id), (s0.spouse_id, Some(s1.spouse_id)));
        Spouse::as_a
            .add(&orm, s1, wedding(Some(s2.spouse_id), None, "w2"))
            .await?;
        Spouse::as_a
            .add(&orm, s0, wedding(Some(s2.spouse_id), None, "w3"))
            .await?;
        Spouse::as_a
            .add(&orm, s2, wedding(None, Some(w1.wedding_id), "w4"))
            .await?;
        // `add` through `as_b` sets `b_id`, and leaves `a_id` as given.
        let mut given = wedding(None, None, "w5");
        given.a_id = s2.spouse_id;
        let w5 = Spouse::as_b.add(&orm, s1, given).await?;
        assert_eq!((w5.a_id, w5.b_id), (s2.spouse_id, Some(s1.spouse_id)));

        let as_a = Spouse::as_a.load(&orm, &s).await?;
        let as_a: Vec<Vec<&str>> = as_a.iter().map(|ws| places(ws)).collect();
        assert_eq!(as_a, [vec!["w1", "w3"], vec!["w2"], vec!["w4", "w5"]]);
        let as_b = Spouse::as_b.load(&orm, &s).await?;
        let mut as_b: Vec<Vec<&str>> = as_b.iter().map(|ws| places(ws)).collect();
        as_b.iter_mut().for_each(|p| p.sort());
        assert_eq!(as_b, [vec![], vec!["w1", "w5"], vec!["w2", "w3"]]);

        let weddings = Wedding::find()
            .order_by(Wedding::wedding_id.asc())
            .all(&orm)
            .await?;
        let name = |p: &Option<Spouse>| p.as_ref().map(|p| p.name.clone());
        let a: Vec<_> = Wedding::a
            .load(&orm, &weddings)
            .await?
            .iter()
            .map(name)
            .collect();
        let b: Vec<_> = Wedding::b
            .load(&orm, &weddings)
            .await?
            .iter()
            .map(name)
            .collect();
        let some = |n: &str| Some(n.to_string());
        assert_eq!(
            a,
            [some("s0"), some("s1"), some("s0"), some("s2"), some("s2")]
        );
        assert_eq!(b, [some("s1"), some("s2"), some("s2"), None, some("s1")]);
        let previous: Vec<Option<String>> = Wedding::previous
            .load(&orm, &weddings)
            .await?
            .into_iter()
            .map(|p| p.map(|p| p.place))
            .collect();
        assert_eq!(previous, [None, None, None, some("w1"), None]);
        // The joined form picks the same key.
        let joined = Wedding::find()
            .order_by(Wedding::wedding_id.asc())
            .with(Wedding::b)
            .all(&orm)
            .await?;
        let joined: Vec<_> = joined.iter().map(|(_, p)| name(p)).collect();
        assert_eq!(joined, b);
        Ok(())
    }
);

db_test!(
    a_delete_cascade_through_one_of_two_keys_leaves_the_rows_of_the_other,
    [postgres, sqlite, mysql],
    |db| {
        let (orm, s) = weddings_setup(&db).await?;
        let (s0, s1, s2) = (&s[0], &s[1], &s[2]);
        for (a, b, place) in [
            (s0, s1, "w1"),
            (s1, s0, "w2"),
            (s1, s2, "w3"),
            (s2, s0, "w4"),
        ] {
            Spouse::as_a
                .add(&orm, a, wedding(Some(b.spouse_id), None, place))
                .await?;
        }
        // `as_a` deletes (`all`); `as_b` has the default: its rows' `b_id` set to NULL.
        assert!(s0.delete(&orm).await?);
        let left = Wedding::find()
            .order_by(Wedding::wedding_id.asc())
            .all(&orm)
            .await?;
        let left: Vec<(&str, i64, Option<i64>)> = left
            .iter()
            .map(|w| (w.place.as_str(), w.a_id, w.b_id))
            .collect();
        assert_eq!(
            left,
            [
                ("w2", s1.spouse_id, None),
                ("w3", s1.spouse_id, Some(s2.spouse_id)),
                ("w4", s2.spouse_id, None)
            ],
            "w1 went through as_a; w2 and w4 stay, s0 taken from b"
        );
        Ok(())
    }
);

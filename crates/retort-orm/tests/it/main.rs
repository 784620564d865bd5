//! The runtime end to end on real PostgreSQL, SQLite and MariaDB: the seed's model (`ecommerce`) plus
//! a model with every kind of constraint, each test on a fresh database.

use chrono::{DateTime, Utc};
use ecommerce::{Customer, Order, Product};
use retort::dialect::{Dialect, Mysql, Postgres, Sqlite};
use retort::orm::{Db, Error, Persist, ViolationKind};
use retort::prelude::*;
use retort_testkit::{db_test, BoxError, TestDb, TestDialect};

mod relations;

/// A model with a named and an unnamed check, a unique column and a NOT NULL `Option`.
#[derive(Debug, Clone, PartialEq, Model)]
#[retort(
    table = "members",
    check(expr = "age >= 0", name = "ck_members_age"),
    check(expr = "length(handle) > 1")
)]
struct Member {
    #[retort(primary_key, identity = "by_default")]
    member_id: i64,
    #[retort(unique)]
    handle: String,
    age: i32,
    #[retort(nullable = false)]
    nickname: Option<String>,
    note: Option<String>,
    #[retort(server_default = "'new'")]
    status: String,
    #[retort(foreign_key = "customers.customer_id")]
    referred_by: Option<i32>,
}

fn customer(first: &str, email: &str) -> Customer {
    Customer {
        customer_id: 0,
        first_name: first.into(),
        last_name: "Lovelace".into(),
        email_address: email.into(),
    }
}

fn member(handle: &str, age: i32) -> Member {
    Member {
        member_id: 0,
        handle: handle.into(),
        age,
        nickname: Some(handle.to_uppercase()),
        note: None,
        status: String::new(),
        referred_by: None,
    }
}

/// The seed's tables and `members` on a fresh database, and the runtime's pool on it.
async fn setup(db: &TestDb) -> Result<Db, BoxError> {
    // With `order_items`: deleting a customer cascades to its orders' lines (`Order::items`).
    let md = ecommerce::tables().with::<Member>();
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

db_test!(
    insert_returns_keys_and_server_defaults,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let ada = customer("Ada", "ada@example.com").insert(&orm).await?;
        assert!(ada.customer_id > 0, "identity filled: {ada:?}");
        let many = Customer::insert_many(
            &orm,
            &[
                customer("Bob", "bob@example.com"),
                customer("Cy", "cy@example.com"),
                customer("Di", "di@example.com"),
            ],
        )
        .await?;
        let names: Vec<&str> = many.iter().map(|c| c.first_name.as_str()).collect();
        assert_eq!(names, ["Bob", "Cy", "Di"], "in the order given");
        let mut ids: Vec<i32> = many.iter().map(|c| c.customer_id).collect();
        ids.push(ada.customer_id);
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 4, "distinct keys: {ids:?}");

        let before = Utc::now() - chrono::Duration::minutes(5);
        let order = Order {
            order_id: 0,
            customer_id: ada.customer_id,
            order_date: DateTime::<Utc>::MIN_UTC,
        }
        .insert(&orm)
        .await?;
        assert!(order.order_id > 0);
        assert!(
            order.order_date > before,
            "now() filled: {:?}",
            order.order_date
        );

        let m = member("ann", 30).insert(&orm).await?;
        assert_eq!(m.status, "new", "literal server default read back");
        assert!(m.member_id > 0);
        assert_eq!(m.note, None);

        // More rows than one statement's parameters: several batches, all back, in order.
        let lots: Vec<Product> = (0..7000)
            .map(|i| Product {
                product_id: 0,
                product_name: format!("p{i}"),
                description: (i % 2 == 0).then(|| format!("even {i}")),
                price: f64::from(i) / 4.0,
            })
            .collect();
        let stored = Product::insert_many(&orm, &lots).await?;
        assert_eq!(stored.len(), 7000);
        assert_eq!(stored[6999].product_name, "p6999");
        assert_eq!(stored[6998].description.as_deref(), Some("even 6998"));
        assert_eq!(Product::find().count(&orm).await?, 7000);
        Ok(())
    }
);

db_test!(get_save_update_delete, [postgres, sqlite, mysql], |db| {
    let orm = setup(&db).await?;
    let ada = customer("Ada", "ada@example.com").insert(&orm).await?;
    let got = Customer::get(&orm, ada.customer_id).await?.expect("a row");
    assert_eq!(got.email_address, "ada@example.com");
    assert!(Customer::get(&orm, ada.customer_id + 1000).await?.is_none());

    let mut changed = got;
    changed.last_name = "Byron".into();
    let saved = changed.save(&orm).await?;
    assert_eq!(saved.last_name, "Byron");
    assert_eq!(
        Customer::get(&orm, ada.customer_id)
            .await?
            .unwrap()
            .last_name,
        "Byron"
    );

    let n = Customer::update()
        .set(Customer::first_name, "Augusta")
        .filter(Customer::customer_id.eq(ada.customer_id))
        .execute(&orm)
        .await?;
    assert_eq!(n, 1);
    assert_eq!(
        Customer::get(&orm, ada.customer_id)
            .await?
            .unwrap()
            .first_name,
        "Augusta"
    );

    let mut gone = saved.clone();
    gone.customer_id += 1000;
    assert!(matches!(gone.save(&orm).await, Err(Error::NotFound { .. })));

    assert!(saved.delete(&orm).await?);
    assert!(!saved.delete(&orm).await?, "deleted once");
    let bob = customer("Bob", "bob@example.com").insert(&orm).await?;
    assert!(Customer::delete_by_key(&orm, bob.customer_id).await?);
    assert_eq!(Customer::find().count(&orm).await?, 0);
    Ok(())
});

db_test!(
    typed_filters_order_limit_count_exists,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let mut rows = Vec::new();
        for (i, h) in ["ann", "bea", "cat", "dan", "eve"].iter().enumerate() {
            let mut m = member(h, 20 + i as i32 * 10);
            if i % 2 == 1 {
                m.note = Some(format!("note {h}"));
            }
            rows.push(m);
        }
        Member::insert_many(&orm, &rows).await?;
        let handles = |ms: Vec<Member>| ms.into_iter().map(|m| m.handle).collect::<Vec<_>>();

        let q = Member::find().order_by(Member::handle.asc());
        assert_eq!(
            handles(q.all(&orm).await?),
            ["ann", "bea", "cat", "dan", "eve"]
        );
        let f = |filter| Member::find().filter(filter).order_by(Member::age.asc());
        assert_eq!(handles(f(Member::age.eq(30)).all(&orm).await?), ["bea"]);
        assert_eq!(handles(f(Member::age.ne(30)).all(&orm).await?).len(), 4);
        assert_eq!(
            handles(f(Member::age.lt(40)).all(&orm).await?),
            ["ann", "bea"]
        );
        assert_eq!(
            handles(f(Member::age.le(40)).all(&orm).await?),
            ["ann", "bea", "cat"]
        );
        assert_eq!(handles(f(Member::age.gt(50)).all(&orm).await?), ["eve"]);
        assert_eq!(
            handles(f(Member::age.ge(50)).all(&orm).await?),
            ["dan", "eve"]
        );
        assert_eq!(
            handles(
                f(Member::handle.is_in(["cat", "eve", "zed"]))
                    .all(&orm)
                    .await?
            ),
            ["cat", "eve"]
        );
        let none: [&str; 0] = [];
        assert_eq!(f(Member::handle.is_in(none)).count(&orm).await?, 0);
        assert_eq!(
            handles(f(Member::handle.like("%a%")).all(&orm).await?),
            ["ann", "bea", "cat", "dan"]
        );
        assert_eq!(
            handles(f(Member::note.is_null()).all(&orm).await?),
            ["ann", "cat", "eve"]
        );
        assert_eq!(
            handles(f(Member::note.is_not_null()).all(&orm).await?),
            ["bea", "dan"]
        );
        assert_eq!(
            handles(
                f(Member::note.eq(Some("note dan".to_string())))
                    .all(&orm)
                    .await?
            ),
            ["dan"]
        );
        assert_eq!(
            handles(
                f(Member::age.lt(30).or(Member::age.gt(50)))
                    .all(&orm)
                    .await?
            ),
            ["ann", "eve"]
        );
        assert_eq!(
            handles(
                f(Member::age.ge(30).and(Member::note.is_null()))
                    .all(&orm)
                    .await?
            ),
            ["cat", "eve"]
        );
        assert_eq!(handles(f(!Member::age.ge(30)).all(&orm).await?), ["ann"]);
        assert_eq!(
            handles(f(Member::age.ge(30).not()).all(&orm).await?),
            ["ann"]
        );
        // A quote in a value is a parameter, not SQL.
        assert_eq!(f(Member::handle.eq("x' OR '1'='1")).count(&orm).await?, 0);

        let page = Member::find()
            .order_by(Member::age.desc())
            .limit(2)
            .offset(1);
        assert_eq!(handles(page.all(&orm).await?), ["dan", "cat"]);
        let tail = Member::find().order_by(Member::age.desc()).offset(3);
        assert_eq!(handles(tail.all(&orm).await?), ["bea", "ann"]);
        let first = Member::find()
            .order_by(Member::age.desc())
            .one(&orm)
            .await?;
        assert_eq!(first.map(|m| m.handle).as_deref(), Some("eve"));

        assert_eq!(
            Member::find()
                .filter(Member::age.gt(25))
                .count(&orm)
                .await?,
            4
        );
        assert!(
            Member::find()
                .filter(Member::handle.eq("dan"))
                .exists(&orm)
                .await?
        );
        assert!(
            !Member::find()
                .filter(Member::handle.eq("zed"))
                .exists(&orm)
                .await?
        );

        let deleted = Member::find()
            .filter(Member::age.lt(40))
            .delete(&orm)
            .await?;
        assert_eq!(deleted, 2);
        assert_eq!(Member::find().count(&orm).await?, 3);
        Ok(())
    }
);

db_test!(raw_sql_maps_to_the_model, [postgres, sqlite, mysql], |db| {
    let orm = setup(&db).await?;
    Member::insert_many(&orm, &[member("ann", 20), member("bob", 40)]).await?;
    let sql = match orm.backend() {
        retort::orm::Backend::Postgres => "SELECT * FROM members WHERE age > $1",
        retort::orm::Backend::Sqlite => "SELECT * FROM members WHERE age > ?1",
        _ => "SELECT * FROM members WHERE age > ?",
    };
    let rows = Member::raw(sql).bind(30).all(&orm).await?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].handle, "bob");
    assert_eq!(rows[0].nickname.as_deref(), Some("BOB"));
    // The user's columns in another order than the model's: read by name, not position.
    let shuffled = "SELECT status, note, referred_by, nickname, age, handle, member_id \
                    FROM members ORDER BY member_id";
    let rows = Member::raw(shuffled).all(&orm).await?;
    let got: Vec<(&str, i32)> = rows.iter().map(|m| (m.handle.as_str(), m.age)).collect();
    assert_eq!(got, [("ann", 20), ("bob", 40)]);
    assert_eq!(rows[1].status, "new");
    Ok(())
});

// A row that does not fit the model is an error naming the field: a `NULL` in a field that
// is not an `Option`, a value of another type (a database error that named no field before
// rows were decoded straight into the fields), while a column the SQL lacks is the
// driver's error.
db_test!(
    raw_sql_that_does_not_fit_names_the_field,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        member("ann", 20).insert(&orm).await?;
        let field_of = |r: Result<Vec<Member>, Error>| match r {
            Err(Error::Value { model, source }) => (model, source.field),
            other => panic!("expected a value error, got {other:?}"),
        };
        let null_age =
            "SELECT member_id, handle, NULL AS age, nickname, note, status, referred_by \
             FROM members";
        assert_eq!(
            field_of(Member::raw(null_age).all(&orm).await),
            ("Member", "age")
        );
        let text_age =
            "SELECT member_id, handle, 'old' AS age, nickname, note, status, referred_by \
             FROM members";
        assert_eq!(
            field_of(Member::raw(text_age).all(&orm).await),
            ("Member", "age")
        );
        let missing = "SELECT member_id, handle FROM members";
        let err = Member::raw(missing)
            .all(&orm)
            .await
            .expect_err("a missing column");
        assert!(matches!(err, Error::Database(_)), "{err:?}");
        Ok(())
    }
);

// `is_in` with more values than a statement may carry parameters on PostgreSQL (65,535):
// one array parameter there (`= ANY($1)`); under SQLite's limit, one parameter a value. A
// list with a `NULL` goes as an `IN` list on both, matching its other values.
db_test!(
    is_in_takes_long_lists_and_nulls,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let stored = Member::insert_many(&orm, &[member("ann", 20), member("bob", 40)]).await?;
        let n: i64 = match orm.backend() {
            retort::orm::Backend::Postgres => 70_000,
            _ => 30_000,
        };
        let bob = stored[1].member_id;
        // Every key but ann's, bob's among them.
        let keys = (1..=n).map(|k| k + bob - 1);
        let found = Member::find()
            .filter(Member::member_id.is_in(keys))
            .all(&orm)
            .await?;
        let handles: Vec<&str> = found.iter().map(|m| m.handle.as_str()).collect();
        assert_eq!(handles, ["bob"]);
        let texts = Member::find()
            .filter(Member::handle.is_in(["ann", "zed"]))
            .all(&orm)
            .await?;
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].handle, "ann");
        Member::update()
            .set(Member::note, Some("hi".to_string()))
            .filter(Member::handle.eq("bob"))
            .execute(&orm)
            .await?;
        let with_null = Member::find()
            .filter(Member::note.is_in([Some("hi".to_string()), None]))
            .all(&orm)
            .await?;
        assert_eq!(with_null.len(), 1);
        assert_eq!(with_null[0].handle, "bob");
        Ok(())
    }
);

db_test!(
    transactions_commit_and_roll_back,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        // Dropped without a commit: rolled back.
        {
            let mut tx = orm.begin().await?;
            member("ann", 20).insert(&mut tx).await?;
            assert_eq!(Member::find().count(&mut tx).await?, 1, "seen inside");
        }
        assert_eq!(Member::find().count(&orm).await?, 0);

        // An error part-way with `?`: nothing of it stays.
        async fn two(orm: &Db) -> Result<(), Error> {
            let mut tx = orm.begin().await?;
            member("bob", 20).insert(&mut tx).await?;
            member("bob", 21).insert(&mut tx).await?; // unique handle
            tx.commit().await
        }
        let err = two(&orm).await.expect_err("a unique violation");
        assert_eq!(err.violation().map(|v| v.kind), Some(ViolationKind::Unique));
        assert_eq!(Member::find().count(&orm).await?, 0);

        let mut tx = orm.begin().await?;
        let cy = member("cy", 20).insert(&mut tx).await?;
        let mut older = Member::get(&mut tx, cy.member_id).await?.unwrap();
        older.age = 21;
        older.save(&mut tx).await?;
        Member::update()
            .set(Member::note, Some("n".to_string()))
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        let back = Member::get(&orm, cy.member_id).await?.unwrap();
        assert_eq!((back.age, back.note.as_deref()), (21, Some("n")));

        let tx = orm.begin().await?;
        tx.rollback().await?;
        Ok(())
    }
);

db_test!(
    violations_name_constraint_and_field,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        let pg = orm.backend() == retort::orm::Backend::Postgres;
        member("ann", 20).insert(&orm).await?;

        let v = |r: Result<Member, Error>| match r {
            Err(Error::Violation(v)) => *v,
            other => panic!("expected a violation, got {other:?}"),
        };
        let unique = v(member("ann", 30).insert(&orm).await);
        assert_eq!(unique.kind, ViolationKind::Unique);
        assert_eq!(
            (unique.model, unique.fields.as_slice()),
            ("Member", &["handle"][..])
        );
        if pg {
            assert_eq!(unique.constraint.as_deref(), Some("members_handle_key"));
        }
        assert!(unique.to_string().contains("Member.handle"), "{unique}");

        let mut orphan = member("bob", 30);
        orphan.referred_by = Some(999);
        let fk = v(orphan.insert(&orm).await);
        assert_eq!(fk.kind, ViolationKind::ForeignKey);
        assert_eq!(fk.fields, ["referred_by"]);
        if pg {
            assert_eq!(fk.constraint.as_deref(), Some("members_referred_by_fkey"));
        }

        let mut nameless = member("cat", 30);
        nameless.nickname = None;
        let nn = v(nameless.insert(&orm).await);
        assert_eq!(
            (nn.kind, nn.fields.as_slice()),
            (ViolationKind::NotNull, &["nickname"][..])
        );

        let named = v(member("dan", -1).insert(&orm).await);
        assert_eq!(named.kind, ViolationKind::Check);
        assert_eq!(named.constraint.as_deref(), Some("ck_members_age"));
        assert_eq!(named.fields, ["age"]);

        let unnamed = v(member("e", 30).insert(&orm).await);
        assert_eq!(unnamed.kind, ViolationKind::Check);
        if pg {
            assert_eq!(unnamed.constraint.as_deref(), Some("members_handle_check"));
            assert_eq!(unnamed.fields, ["handle"]);
        }

        // Through an update too.
        let bea = member("bea", 30).insert(&orm).await?;
        let mut clash = bea.clone();
        clash.handle = "ann".into();
        let on_save = v(clash.save(&orm).await);
        assert_eq!(
            (on_save.kind, on_save.fields.as_slice()),
            (ViolationKind::Unique, &["handle"][..])
        );
        Ok(())
    }
);

db_test!(
    unsupported_field_types_are_refused_by_name,
    [postgres, sqlite, mysql],
    |db| {
        let orm = setup(&db).await?;
        #[derive(Debug, Model)]
        #[retort(table = "members")]
        struct Odd {
            #[retort(primary_key)]
            member_id: i64,
            #[retort(sql_type = "text")]
            handle: Handle,
        }
        #[derive(Debug)]
        struct Handle;
        let err = Odd::find()
            .all(&orm)
            .await
            .expect_err("no reader for Handle");
        assert!(err.to_string().contains("handle"), "{err}");
        Ok(())
    }
);

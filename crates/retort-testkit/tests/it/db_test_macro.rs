//! `db_test!` runs one body once per dialect, each on a fresh database.

use retort_testkit::{db_test, TestDialect};

db_test!(runs_on_every_dialect, |db| {
    db.execute("CREATE TABLE per_dialect (id integer PRIMARY KEY)")
        .await?;
    let objects = db.user_objects().await?;
    let expected: Vec<&str> = match db.dialect() {
        TestDialect::Postgres => vec!["table public.per_dialect", "index public.per_dialect_pkey"],
        _ => vec!["table per_dialect"],
    };
    let mut objects = objects;
    objects.sort();
    let mut expected: Vec<String> = expected.into_iter().map(String::from).collect();
    expected.sort();
    assert_eq!(objects, expected);
    Ok(())
});

db_test!(only_on_the_listed_dialects, [postgres], |db| {
    assert_eq!(db.dialect(), TestDialect::Postgres);
    assert!(
        db.name().contains("only_on_the_listed_dialects_postgres"),
        "{}",
        db.name()
    );
    Ok(())
});

/// The body's error fails the test (with the database named) instead of passing.
#[test]
fn an_error_from_the_body_fails_the_test() {
    let outcome = std::thread::spawn(|| {
        retort_testkit::block_on(async {
            let db = retort_testkit::TestDb::sqlite("body_error").await;
            let outcome: Result<(), retort_testkit::BoxError> =
                async { Err("the body failed".into()) }.await;
            retort_testkit::finish(db, outcome).await;
        })
    })
    .join();
    let panic = outcome.expect_err("an Err body must fail the test");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("the body failed"), "{message}");
}

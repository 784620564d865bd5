//! Start-up migration: the embedded history brought to head under the migration lock.

use ecommerce::startup;
use retort::migrate::DatabaseUrl;
use retort_testkit::db_test;

db_test!(two_instances_starting_together_migrate_once, |db| {
    let url = DatabaseUrl::parse(db.url())?;
    // Two start-ups at once, as two replicas of a deployment: the lock lets one migrate;
    // the other waits, then finds the database at head and applies nothing.
    let (a, b) = tokio::join!(
        startup::migrate(&url, |_| {}),
        startup::migrate(&url, |_| {})
    );
    let (a, b) = (a?, b?);
    let mut applied = [a.steps.len(), b.steps.len()];
    applied.sort();
    assert_eq!(applied, [0, 3], "{a:?}\n{b:?}");
    assert_eq!(a.heads_after, ["3ea75eaa95a2"]);
    assert_eq!(b.heads_after, ["3ea75eaa95a2"]);
    startup::check_at_head(&url).await?;
    Ok(())
});

#[test]
fn a_backend_the_runtime_does_not_serve_is_refused_by_name() {
    let err = startup::parse_url("mysql://root:secret@127.0.0.1:3306/shop").expect_err("mysql");
    let text = err.to_string();
    assert!(
        text.contains("runs on PostgreSQL and SQLite, not mysql"),
        "{text}"
    );
    assert!(!text.contains("secret"), "{text}");
}

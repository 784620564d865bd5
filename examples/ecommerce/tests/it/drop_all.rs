//! `drop_all` undoes `create_all` completely: nothing of the model is left behind.

use retort::dialect::{Dialect, Postgres};
use retort_testkit::db_test;

db_test!(drop_all_leaves_the_database_empty, [postgres], |db| {
    let metadata = ecommerce::seed_metadata();
    db.execute_all(&Postgres.create_all(&metadata)?).await?;
    let created = db.user_objects().await?;
    for table in ["customers", "orders", "products"] {
        let expected = format!("table public.{table}");
        assert!(
            created.contains(&expected),
            "{expected} missing from {created:?}"
        );
    }

    db.execute_all(&Postgres.drop_all(&metadata)?).await?;
    assert_eq!(db.user_objects().await?, Vec::<String>::new());
    Ok(())
});

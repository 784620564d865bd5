//! THE acceptance test of the seed model: our DDL, dumped by pg_dump, equals Alembic's.

use retort::dialect::{Dialect, Postgres};
use retort_testkit::{assert_same_text, db_test, normalize_pg_dump};

/// `pg_dump --schema-only` of the seed tutorial's database after Alembic's first revision
/// (copied from the shared oracle so the test does not depend on where that lives).
const ORACLE_DUMP: &str = include_str!("../oracle/seed_alembic_pg_dump.sql");

/// Alembic's bookkeeping table is not part of the model.
const IGNORED: &[&str] = &["alembic_version"];

db_test!(create_all_matches_the_alembic_pg_dump, [postgres], |db| {
    let statements = Postgres.create_all(&ecommerce::seed_metadata())?;
    db.execute_all(&statements).await?;

    let oracle = normalize_pg_dump(ORACLE_DUMP, IGNORED);
    let ours = normalize_pg_dump(&db.pg_dump_schema().await?, IGNORED);
    // Guard against a normaliser that strips too much and compares two empty texts.
    for table in ["customers", "orders", "products"] {
        let create = format!("CREATE TABLE public.{table} (");
        assert!(
            oracle.contains(&create),
            "normalised oracle lost {table}:\n{oracle}"
        );
    }
    assert_same_text(
        "Alembic's pg_dump (tests/oracle/seed_alembic_pg_dump.sql)",
        &oracle,
        "pg_dump after retort create_all",
        &ours,
    );
    Ok(())
});

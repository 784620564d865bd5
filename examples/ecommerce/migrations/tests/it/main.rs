//! The ecommerce migrations, run through the command line in-process exactly as
//! `cargo run -p ecommerce-migrations -- upgrade head` runs them: on PostgreSQL the
//! schema equals Alembic's pg_dump of the seed, on SQLite the three tables appear, and
//! `downgrade base` leaves only the bookkeeping tables.
//!
//! Plain tests rather than `db_test!`: the command line starts its own runtime, which
//! cannot run inside the macro's; the database's pool keeps a runtime of its own.

mod autogenerate;
mod target;

use retort::cli::Printer;
use retort_testkit::{assert_same_text, normalize_pg_dump, TestDb};

/// A runtime for the test database's pool, which cannot outlive the runtime it was made on.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

const ORACLE_DUMP: &str = include_str!("../../../tests/oracle/seed_alembic_pg_dump.sql");
/// Each tool's bookkeeping tables are not part of the model.
const IGNORED: &[&str] = &["alembic_version", "retort_version", "retort_log"];

fn cli(url: &str, args: &[&str]) -> (u8, String) {
    let env = retort::Environment::new(ecommerce::metadata(), retort::versions!());
    let mut printer = Printer::captured();
    let mut argv = vec!["ecommerce-migrations", "--url", url];
    argv.extend_from_slice(args);
    let code = retort::cli::execute(argv, &env, &mut printer);
    (code, format!("{}{}", printer.stdout(), printer.stderr()))
}

#[test]
fn upgrade_head_matches_the_alembic_pg_dump() {
    let rt = runtime();
    let db = rt.block_on(TestDb::postgres("ecommerce_migrations_upgrade_head_pg"));
    let (code, out) = cli(db.url(), &["upgrade", "head"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Running upgrade  -> 5cc88b64dda9, Initial commit"),
        "{out}"
    );
    let oracle = normalize_pg_dump(ORACLE_DUMP, IGNORED);
    let ours = normalize_pg_dump(&rt.block_on(db.pg_dump_schema()).unwrap(), IGNORED);
    assert!(oracle.contains("CREATE TABLE public.orders ("), "{oracle}");
    assert_same_text(
        "Alembic's pg_dump of the seed",
        &oracle,
        "pg_dump after upgrade head",
        &ours,
    );

    let (code, out) = cli(db.url(), &["downgrade", "base"]);
    assert_eq!(code, 0, "{out}");
    let tables = rt.block_on(db.query_strings(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    ))
    .unwrap();
    assert_eq!(tables, ["retort_log", "retort_version"]);
    rt.block_on(db.close()).unwrap();
}

#[test]
fn upgrade_head_on_sqlite() {
    let rt = runtime();
    let db = rt.block_on(TestDb::sqlite("ecommerce_migrations_upgrade_head_sqlite"));
    let (code, out) = cli(db.url(), &["upgrade", "head"]);
    assert_eq!(code, 0, "{out}");
    let tables = rt.block_on(db.query_strings(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
    ))
    .unwrap();
    assert_eq!(
        tables,
        [
            "customers",
            "orders",
            "products",
            "retort_log",
            "retort_version"
        ]
    );
    let (code, out) = cli(db.url(), &["downgrade", "base"]);
    assert_eq!(code, 0, "{out}");
    rt.block_on(db.close()).unwrap();
}

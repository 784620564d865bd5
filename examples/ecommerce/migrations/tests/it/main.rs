//! The ecommerce migrations, run through the command line in-process exactly as
//! `cargo run -p ecommerce-migrations -- upgrade head` runs them: on PostgreSQL the
//! schema equals Alembic's pg_dump of the seed, on SQLite and MariaDB/MySQL the three tables
//! appear (and on MariaDB `check` is clean), and `downgrade base` leaves only the
//! bookkeeping tables.
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

/// The seed on MariaDB/MySQL (issue 12, item 8): `upgrade head` creates the seed's tables as
/// the model says them (identity as `AUTO_INCREMENT`, `now()` as the current time, the
/// foreign key with `ON DELETE CASCADE`), `check` then finds nothing to change, and
/// `downgrade base` leaves only the bookkeeping tables: no table, index or key of the seed.
#[test]
fn upgrade_head_check_and_downgrade_base_on_mariadb() {
    let rt = runtime();
    let db = rt.block_on(TestDb::mysql("ecommerce_migrations_upgrade_head_mysql"));
    let (code, out) = cli(db.url(), &["upgrade", "head"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Target: mysql://"), "{out}");
    let query = |sql: &str| rt.block_on(db.query_strings(sql)).unwrap();
    let tables = query(
        "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
    );
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
    let columns = query(
        "SELECT CAST(CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', EXTRA) AS CHAR) \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME IN ('customers', 'orders', 'products') AND (EXTRA <> '' OR COLUMN_KEY = 'PRI') ORDER BY 1",
    );
    // MariaDB prints a display width (`int(11)`), MySQL 8 does not.
    let columns: Vec<String> = columns
        .iter()
        .map(|c| c.replace("int(11)", "int"))
        .collect();
    assert_eq!(
        columns,
        [
            "customers.customer_id int NO auto_increment",
            "orders.order_id int NO auto_increment",
            "products.product_id int NO auto_increment",
        ]
    );
    let default = query(
        "SELECT CAST(COLUMN_DEFAULT AS CHAR) FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'order_date'",
    );
    assert_eq!(default.len(), 1);
    assert!(
        default[0].to_lowercase().starts_with("current_timestamp"),
        "{default:?}"
    );
    let keys = query(
        "SELECT CAST(CONCAT(TABLE_NAME, ' -> ', REFERENCED_TABLE_NAME, ' ON DELETE ', DELETE_RULE) AS CHAR) \
         FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
    );
    assert_eq!(keys, ["orders -> customers ON DELETE CASCADE"]);

    let (code, out) = cli(db.url(), &["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No new upgrade operations detected."), "{out}");

    let (code, out) = cli(db.url(), &["downgrade", "base"]);
    assert_eq!(code, 0, "{out}");
    let left: Vec<String> = rt
        .block_on(db.user_objects())
        .unwrap()
        .into_iter()
        .filter(|o| !o.contains("retort_version") && !o.contains("retort_log"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
    assert_eq!(
        query("SELECT CAST(COUNT(*) AS CHAR) FROM retort_version"),
        ["0"]
    );
    rt.block_on(db.close()).unwrap();
}

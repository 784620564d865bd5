//! The ecommerce migrations, run through the command line in-process exactly as
//! `cargo run -p ecommerce-migrations -- upgrade head` runs them: on PostgreSQL the
//! schema at the seed revision equals Alembic's pg_dump of the seed; at head, on
//! PostgreSQL, SQLite and MariaDB/MySQL, the seed's tables, `order_items` and the
//! `order_totals` view are there and `check` is clean (on MariaDB/MySQL at the seed
//! revision: views are not read back there yet); `downgrade base` leaves only the
//! bookkeeping tables. The trigger keeping `order_items.updated_at` current is
//! PostgreSQL's (a PL/pgSQL function and its trigger) or SQLite's own, each declared for its
//! database only, and an update of a line changes its time on both.
//!
//! Plain tests rather than `db_test!`: the command line starts its own runtime, which
//! cannot run inside the macro's; the database's pool keeps a runtime of its own.

mod autogenerate;
mod erd_browser;
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

/// The seed tutorial's revision: Alembic's first revision, whose schema is the oracle's.
const SEED: &str = "5cc88b64dda9";

const ORACLE_DUMP: &str = include_str!("../../../tests/oracle/seed_alembic_pg_dump.sql");
/// Each tool's bookkeeping tables are not part of the model.
const IGNORED: &[&str] = &["alembic_version", "retort_version", "retort_log"];

fn cli(url: &str, args: &[&str]) -> (u8, String) {
    cli_with(
        retort::Environment::new(ecommerce::metadata(), retort::versions!()),
        url,
        args,
    )
}

fn cli_with(env: retort::Environment, url: &str, args: &[&str]) -> (u8, String) {
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
    let (code, out) = cli(db.url(), &["upgrade", SEED]);
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
        "pg_dump after upgrade to the seed revision",
        &ours,
    );

    // The revisions after the seed: order_items and the order_totals view; check is clean.
    let (code, out) = cli(db.url(), &["upgrade", "head"]);
    assert_eq!(code, 0, "{out}");
    let query = |sql: &str| rt.block_on(db.query_strings(sql)).unwrap();
    let relations = "SELECT table_name || ' ' || table_type FROM information_schema.tables \
         WHERE table_schema = 'public' ORDER BY 1";
    assert_eq!(
        query(relations),
        [
            "customers BASE TABLE",
            "order_items BASE TABLE",
            "order_totals VIEW",
            "orders BASE TABLE",
            "products BASE TABLE",
            "retort_log BASE TABLE",
            "retort_version BASE TABLE",
        ]
    );
    // The PL/pgSQL function and its trigger (PostgreSQL's only: not SQLite's trigger).
    assert_eq!(query(FUNCTIONS_AND_TRIGGERS), PG_FUNCTION_AND_TRIGGER);
    let (code, out) = cli(db.url(), &["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No new upgrade operations detected."), "{out}");
    // The trigger keeps updated_at current: an old time, then an update of the line.
    rt.block_on(db.execute(SEED_ONE_LINE)).unwrap();
    rt.block_on(db.execute("UPDATE order_items SET quantity = 3"))
        .unwrap();
    assert_eq!(
        query("SELECT (updated_at > now() - interval '1 hour')::text FROM order_items"),
        ["true"]
    );

    // downgrade base leaves only the bookkeeping tables: no table, view, sequence,
    // function or trigger. The tables hold the seeded rows, which the test means to lose.
    let (code, out) = cli(db.url(), &["downgrade", "base", "--allow-data-loss"]);
    assert_eq!(code, 0, "{out}");
    let left: Vec<String> = rt
        .block_on(db.user_objects())
        .unwrap()
        .into_iter()
        .filter(|o| !o.contains("retort_version") && !o.contains("retort_log"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
    assert_eq!(
        query(relations),
        ["retort_log BASE TABLE", "retort_version BASE TABLE"]
    );
    assert_eq!(query(FUNCTIONS_AND_TRIGGERS), Vec::<String>::new());
    rt.block_on(db.close()).unwrap();
}

/// The functions and triggers of the public schema, from the catalog.
const FUNCTIONS_AND_TRIGGERS: &str = "SELECT * FROM ( \
     SELECT 'function ' || p.proname || ' ' || l.lanname FROM pg_proc p \
     JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang \
     WHERE n.nspname = 'public' \
     UNION ALL SELECT 'trigger ' || t.tgname || ' on ' || c.relname FROM pg_trigger t \
     JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname = 'public' AND NOT t.tgisinternal) AS o ORDER BY 1";
const PG_FUNCTION_AND_TRIGGER: [&str; 2] = [
    "function set_updated_at plpgsql",
    "trigger order_items_updated_at on order_items",
];
/// A customer, a product, an order and one line of it, last changed in 2000.
const SEED_ONE_LINE: &str = "INSERT INTO customers (first_name, last_name, email_address) \
     VALUES ('Ada', 'Lovelace', 'ada@example.com'); \
     INSERT INTO products (product_name, price) VALUES ('Tea', 2.5); \
     INSERT INTO orders (customer_id) VALUES (1); \
     INSERT INTO order_items (order_id, product_id, quantity, unit_price, updated_at) \
     VALUES (1, 1, 2, 2.5, '2000-01-01 00:00:00')";

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
            "order_items",
            "orders",
            "products",
            "retort_log",
            "retort_version"
        ]
    );
    let views = "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY 1";
    assert_eq!(
        rt.block_on(db.query_strings(views)).unwrap(),
        ["order_totals"]
    );
    // SQLite's own trigger (neither PostgreSQL's nor its function).
    let triggers =
        "SELECT name || ' on ' || tbl_name || ' ' || (instr(sql, 'AFTER UPDATE OF') > 0) \
                    FROM sqlite_master WHERE type = 'trigger' ORDER BY 1";
    assert_eq!(
        rt.block_on(db.query_strings(triggers)).unwrap(),
        ["order_items_updated_at on order_items 1"]
    );
    let (code, out) = cli(db.url(), &["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No new upgrade operations detected."), "{out}");
    // It keeps updated_at current: an old time, then an update of the line.
    rt.block_on(db.execute(SEED_ONE_LINE)).unwrap();
    rt.block_on(db.execute("UPDATE order_items SET quantity = 3"))
        .unwrap();
    assert_eq!(
        rt.block_on(db.query_strings(
            "SELECT CAST(updated_at > datetime('now', '-1 hour') AS TEXT) FROM order_items"
        ))
        .unwrap(),
        ["1"]
    );
    // The data-loss guard refuses to drop the seeded rows unless told to.
    let (code, out) = cli(db.url(), &["downgrade", "base"]);
    assert_eq!(code, 6, "{out}");
    assert!(out.contains("table order_items holds 1 row"), "{out}");
    let (code, out) = cli(db.url(), &["downgrade", "base", "--allow-data-loss"]);
    assert_eq!(code, 0, "{out}");
    let left = rt
        .block_on(db.query_strings(
            "SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'retort_%' AND tbl_name NOT LIKE 'retort_%' ORDER BY 1",
        ))
        .unwrap();
    assert_eq!(left, Vec::<String>::new());
    rt.block_on(db.close()).unwrap();
}

/// The seed on MariaDB/MySQL (issue 12, item 8): upgrading to the seed revision creates the seed's tables as
/// the model says them (identity as `AUTO_INCREMENT`, `now()` as the current time, the
/// foreign key with `ON DELETE CASCADE`), `check` then finds nothing to change, and
/// then `upgrade head` runs the revisions after it and `downgrade base` leaves only the
/// bookkeeping tables: no table, view, index or key.
#[test]
fn upgrade_head_check_and_downgrade_base_on_mariadb() {
    let rt = runtime();
    let db = rt.block_on(TestDb::mysql("ecommerce_migrations_upgrade_head_mysql"));
    let (code, out) = cli(db.url(), &["upgrade", SEED]);
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

    // The seed's model and history: check is clean.
    let mut seed = retort::versions!();
    seed.scripts.retain(|s| s.revision.id == SEED);
    let (code, out) = cli_with(
        retort::Environment::new(ecommerce::seed_metadata(), seed),
        db.url(),
        &["check"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No new upgrade operations detected."), "{out}");

    // The revisions after the seed run too: order_items and the order_totals view. (Not
    // `check` at head: MySQL/MariaDB views are rendered but not read back yet
    // (docs/entities.md), so check would report the view as missing.)
    let (code, out) = cli(db.url(), &["upgrade", "head"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        query(
            "SELECT CAST(CONCAT(TABLE_NAME, ' ', TABLE_TYPE) AS CHAR) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'order\\_%' ORDER BY 1"
        ),
        ["order_items BASE TABLE", "order_totals VIEW"]
    );

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

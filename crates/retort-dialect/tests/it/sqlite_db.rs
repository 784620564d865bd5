//! SQLite's DDL and rebuilds run on real database files (retort-testkit: a fresh file per
//! test, foreign keys on). Every rebuild case inserts rows first and checks afterwards that
//! every row is still there with the same values and that `PRAGMA foreign_key_check` is
//! empty; the structure is read back from SQLite's own catalog (`pragma_*`), never from
//! our output.

use retort_core::ops::{ConstraintKind, Op, Operations};
use retort_core::{Column, MetaData, ServerDefault, Type};
use retort_dialect::sqlite::{FOREIGN_KEYS_OFF, FOREIGN_KEYS_ON};
use retort_dialect::{Dialect, Sqlite};
use retort_testkit::{db_test, BoxError, TestDb};

use crate::sqlite_ddl::{every_op, shop};
use crate::{models, sqlite_ddl};

/// Rows for [`shop`]: three customers, four orders (customer 1 has two).
const SHOP_ROWS: &str = "\
    INSERT INTO customers (name, email, note) VALUES \
        ('Ann', 'ann@example.com', 'first'), ('Bob', NULL, 'it''s Bob'), ('Cy', 'cy@example.com', NULL);\
    INSERT INTO orders (customer_id, status, total) VALUES \
        (1, 'new', 9.5), (1, 'paid', 20), (2, 'paid', 0.25), (3, 'new', 7);";

/// A SQL expression that yields a row as text: each column `quote()`d, so types count too.
fn row_expr(cols: &[&str]) -> String {
    cols.iter()
        .map(|c| format!("quote(\"{c}\")"))
        .collect::<Vec<_>>()
        .join(" || '|' || ")
}

/// Every row of `table` (the given columns), in rowid order.
async fn dump(db: &TestDb, table: &str, cols: &[&str]) -> Result<Vec<String>, BoxError> {
    let sql = format!("SELECT {} FROM \"{table}\" ORDER BY rowid", row_expr(cols));
    Ok(db.query_strings(&sql).await?)
}

async fn fk_violations(db: &TestDb) -> Result<Vec<String>, BoxError> {
    Ok(db
        .query_strings(
            "SELECT \"table\" || ' row ' || coalesce(rowid, '?') || ' -> ' || parent \
             FROM pragma_foreign_key_check",
        )
        .await?)
}

/// Runs `ops` from `from` as a migration runner must on SQLite, on one connection: keys
/// off before the transaction when `keys_off`, `foreign_key_check` before commit (rolling
/// back on any broken reference), keys on after. Returns the replayed schema.
async fn migrate(
    db: &TestDb,
    from: &MetaData,
    ops: &[Op],
    keys_off: bool,
) -> Result<MetaData, BoxError> {
    let stmts = Sqlite.render_ops(ops, from)?;
    let mut conn = db.sqlite_pool().acquire().await?;
    if keys_off {
        sqlx::raw_sql(FOREIGN_KEYS_OFF).execute(&mut *conn).await?;
    }
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
    let mut outcome: Result<(), BoxError> = Ok(());
    for s in &stmts {
        if let Err(e) = sqlx::raw_sql(s).execute(&mut *conn).await {
            outcome = Err(format!("{e}\n  in: {s}").into());
            break;
        }
    }
    if outcome.is_ok() {
        let broken: Vec<String> = sqlx::query_scalar(
            "SELECT \"table\" || ' -> ' || parent FROM pragma_foreign_key_check",
        )
        .fetch_all(&mut *conn)
        .await?;
        if !broken.is_empty() {
            outcome = Err(format!("broken references: {broken:?}").into());
        }
    }
    let end = if outcome.is_ok() {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    sqlx::raw_sql(end).execute(&mut *conn).await?;
    sqlx::raw_sql(FOREIGN_KEYS_ON).execute(&mut *conn).await?;
    outcome?;
    let mut md = from.clone();
    for op in ops {
        op.apply(&mut md)?;
    }
    Ok(md)
}

/// [`migrate`] with keys off exactly when the dialect says they must be.
async fn upgrade(db: &TestDb, from: &MetaData, ops: &[Op]) -> Result<MetaData, BoxError> {
    let off = Sqlite.needs_foreign_keys_off(ops, from)?;
    migrate(db, from, ops, off).await
}

/// The shop, created and filled.
async fn shop_db(db: &TestDb) -> Result<MetaData, BoxError> {
    let md = shop();
    db.execute_all(&Sqlite.create_all(&md)?).await?;
    db.execute(SHOP_ROWS).await?;
    Ok(md)
}

const CUSTOMERS: [&str; 4] = ["id", "name", "email", "note"];
const ORDERS: [&str; 4] = ["id", "customer_id", "status", "total"];

/// Every row of both shop tables; the same before and after a rebuild that keeps columns.
async fn shop_rows(db: &TestDb) -> Result<(Vec<String>, Vec<String>), BoxError> {
    Ok((
        dump(db, "customers", &CUSTOMERS).await?,
        dump(db, "orders", &ORDERS).await?,
    ))
}

/// The structure SQLite reports for every user table: columns (type, not null, default,
/// pk, hidden), foreign keys, indexes with their columns, and the CHECKs of its SQL.
async fn structure(db: &TestDb) -> Result<Vec<String>, BoxError> {
    let mut out = db
        .query_strings(
            "SELECT m.name || ' col ' || c.name || ' ' || c.type || ' nn=' || c.\"notnull\" \
                 || ' dflt=' || coalesce(c.dflt_value, '-') || ' pk=' || c.pk \
                 || ' hidden=' || c.hidden \
             FROM sqlite_master m, pragma_table_xinfo(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
        .await?;
    out.extend(
        db.query_strings(
            "SELECT m.name || ' fk ' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\" \
                 || ' on delete ' || f.on_delete \
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
        .await?,
    );
    out.extend(
        db.query_strings(
            "SELECT m.name || ' index ' || i.name || ' unique=' || i.\"unique\" \
                 || ' partial=' || i.partial || ' (' || (SELECT group_concat(coalesce(x.name, \
                 'expr'), ',') FROM pragma_index_info(i.name) x) || ')' \
             FROM sqlite_master m, pragma_index_list(m.name) i \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
               AND i.origin = 'c'",
        )
        .await?,
    );
    // CHECKs and constraint names appear only in the table's SQL: its lines after the head.
    for sql in db.sqlite_schema().await? {
        if let Some((_, body)) = sql.split_once('(') {
            for line in body.lines().map(str::trim) {
                if line.contains("CHECK") || line.starts_with("CONSTRAINT") {
                    out.push(format!("sql {}", line.trim_end_matches(',')));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

db_test!(seed_creates_and_drops_on_a_real_file, [sqlite], |db| {
    let md = models::seed();
    db.execute_all(&Sqlite.create_all(&md)?).await?;
    let objects = db.user_objects().await?;
    assert_eq!(
        objects,
        ["table customers", "table orders", "table products"],
        "no other objects (indexes) for the seed"
    );
    db.execute(
        "INSERT INTO customers (first_name, last_name, email_address) VALUES ('A', 'B', 'a@b');\
         INSERT INTO orders (customer_id) VALUES (1);",
    )
    .await?;
    // Identity and the now() default work; the key cascades.
    let order = db
        .query_strings(
            "SELECT order_id || ' ' || typeof(order_date) || ' ' || length(order_date) FROM orders",
        )
        .await?;
    assert_eq!(order, ["1 text 19"]);
    db.execute("DELETE FROM customers").await?;
    assert!(dump(&db, "orders", &["order_id"]).await?.is_empty());
    let bad = db
        .execute("INSERT INTO orders (customer_id) VALUES (42)")
        .await;
    assert!(bad.is_err(), "the foreign key is enforced");

    db.execute_all(&Sqlite.drop_all(&md)?).await?;
    assert!(db.user_objects().await?.is_empty());
    Ok(())
});

db_test!(every_kind_creates_reads_back_and_drops, [sqlite], |db| {
    let models = [
        sqlite_ddl::every_type(),
        sqlite_ddl::columns(),
        sqlite_ddl::constraints_and_indexes(),
        models::cycle(),
    ];
    for md in &models {
        db.execute_all(&Sqlite.create_all(md)?).await?;
    }
    // Declared types read back exactly as the model's rendering wrote them.
    let declared = db
        .query_strings("SELECT name || ' ' || type FROM pragma_table_info('every_type')")
        .await?;
    let table = &models[0].tables()[0];
    let lowered: Vec<String> = table
        .columns
        .iter()
        .map(|c| match &c.ty {
            Type::Enum(_) => format!("{} VARCHAR(16)", c.name),
            ty => format!("{} {}", c.name, Sqlite.column_type(ty).unwrap()),
        })
        .collect();
    assert_eq!(declared, lowered);
    // Affinities: JSON text stays text, numbers in integer columns become integers.
    db.execute(
        "INSERT INTO every_type (id, c_integer, c_json, c_uuid, c_double, c_boolean, c_mood) \
         VALUES (1, '7', '1', '123e4567-e89b-12d3-a456-426614174000', '2', TRUE, 'happy')",
    )
    .await?;
    let types = db
        .query_strings(
            "SELECT typeof(c_integer) || typeof(c_json) || typeof(c_uuid) || typeof(c_double) \
             || typeof(c_boolean) FROM every_type",
        )
        .await?;
    assert_eq!(types, ["integertexttextrealinteger"]);
    assert!(db
        .execute("INSERT INTO every_type (id, c_mood) VALUES (2, 'sad')")
        .await
        .is_err());
    // Defaults and the AUTOINCREMENT key.
    db.execute("INSERT INTO defaults DEFAULT VALUES").await?;
    let row = db
        .query_strings(
            "SELECT id || '|' || typeof(created_at) || '|' || label || '|' || qty || '|' \
             || active || '|' || price || '|' || coalesce(note, 'null') FROM defaults",
        )
        .await?;
    assert_eq!(row, [r"1|text|it's a \n 'quote' – café ✓|-7|1|9.99|null"]);
    db.execute("INSERT INTO computed (w, h) VALUES (3, 4)")
        .await?;
    assert_eq!(
        db.query_strings("SELECT area || ' ' || half FROM computed")
            .await?,
        ["12 1.5"]
    );
    for md in models.iter().rev() {
        db.execute_all(&Sqlite.drop_all(md)?).await?;
    }
    assert!(db.user_objects().await?.is_empty());
    Ok(())
});

db_test!(alter_type_keeps_every_row, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let before = shop_rows(&db).await?;
    let mut op = Operations::new();
    op.alter_column("customers", "name").type_(Type::Text);
    op.alter_column("orders", "customer_id").type_(Type::BigInt);
    upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    assert!(fk_violations(&db).await?.is_empty());
    let types = db
        .query_strings("SELECT type FROM pragma_table_info('customers') WHERE name = 'name'")
        .await?;
    assert_eq!(types, ["TEXT"]);
    Ok(())
});

db_test!(nullability_both_ways_keeps_every_row, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let before = shop_rows(&db).await?;
    let mut op = Operations::new();
    op.alter_column("orders", "total").nullable(false);
    op.alter_column("customers", "name").nullable(true);
    let md = upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    assert!(fk_violations(&db).await?.is_empty());
    assert!(db
        .execute("INSERT INTO orders (customer_id, status) VALUES (1, 'new')")
        .await
        .is_err());
    db.execute("INSERT INTO customers (name) VALUES (NULL)")
        .await?;
    // Back to NOT NULL while a NULL is there: the copy fails and nothing changes.
    let mut op = Operations::new();
    op.alter_column("customers", "name").nullable(false);
    let err = upgrade(&db, &md, &op.into_ops()).await.unwrap_err();
    assert!(err.to_string().contains("NOT NULL"), "{err}");
    assert_eq!(dump(&db, "customers", &["id"]).await?.len(), 4);
    assert!(fk_violations(&db).await?.is_empty());
    Ok(())
});

db_test!(server_default_change_keeps_every_row, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let before = shop_rows(&db).await?;
    let mut op = Operations::new();
    op.alter_column("orders", "total")
        .server_default(ServerDefault::int(0));
    op.alter_column("customers", "note")
        .server_default(ServerDefault::expr("now()"));
    upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    db.execute(
        "INSERT INTO orders (customer_id, status) VALUES (2, 'new');\
         INSERT INTO customers (name) VALUES ('Di');",
    )
    .await?;
    assert_eq!(
        db.query_strings("SELECT quote(total) FROM orders WHERE id = 5")
            .await?,
        ["0.0"],
        "an integer default in a DOUBLE PRECISION column is stored as REAL"
    );
    assert_eq!(
        db.query_strings("SELECT CAST(length(note) AS TEXT) FROM customers WHERE id = 4")
            .await?,
        ["19"],
        "CURRENT_TIMESTAMP"
    );
    Ok(())
});

db_test!(add_and_drop_check_keep_every_row, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let before = shop_rows(&db).await?;
    let mut op = Operations::new();
    op.create_check_constraint("ck_total", "orders", "total >= 0");
    let md = upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    let negative = "INSERT INTO orders (customer_id, status, total) VALUES (1, 'new', -1)";
    assert!(db.execute(negative).await.is_err());

    let mut op = Operations::new();
    op.drop_constraint("ck_total", "orders", ConstraintKind::Check);
    upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    db.execute(negative).await?;
    assert!(fk_violations(&db).await?.is_empty());
    Ok(())
});

db_test!(drop_and_add_foreign_key_keep_every_row, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let before = shop_rows(&db).await?;
    let mut op = Operations::new();
    op.drop_constraint("orders_customer_fk", "orders", ConstraintKind::ForeignKey);
    let md = upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    db.execute("INSERT INTO orders (customer_id, status) VALUES (99, 'new')")
        .await?;
    db.execute("DELETE FROM orders WHERE customer_id = 99")
        .await?;

    let mut op = Operations::new();
    op.create_foreign_key(
        "orders_customer_fk",
        "orders",
        "customers",
        ["customer_id"],
        ["id"],
    )
    .on_delete(retort_core::FkAction::Cascade);
    let md = upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    assert!(fk_violations(&db).await?.is_empty());
    assert!(db
        .execute("INSERT INTO orders (customer_id, status) VALUES (99, 'new')")
        .await
        .is_err());

    // A key that existing rows break is refused, and nothing changes.
    // (Customer 5 has no order 5.)
    db.execute("INSERT INTO customers (name) VALUES ('Di'), ('Ed')")
        .await?;
    let mut op = Operations::new();
    op.create_foreign_key("customers_self", "customers", "orders", ["id"], ["id"]);
    let err = upgrade(&db, &md, &op.into_ops()).await.unwrap_err();
    // The rebuild checks itself (keys are off for it), before the runner's check would.
    assert!(err.to_string().contains("break a foreign key"), "{err}");
    assert_eq!(dump(&db, "customers", &["id"]).await?.len(), 5);
    assert!(fk_violations(&db).await?.is_empty(), "rolled back");
    Ok(())
});

db_test!(add_and_drop_unique_keep_every_row, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let before = shop_rows(&db).await?;
    let mut op = Operations::new();
    op.create_unique_constraint("uq_customers_name", "customers", ["name"]);
    let md = upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    let dup = "INSERT INTO customers (name) VALUES ('Ann')";
    assert!(db.execute(dup).await.is_err());

    let mut op = Operations::new();
    op.drop_constraint("uq_customers_name", "customers", ConstraintKind::Unique);
    upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(shop_rows(&db).await?, before);
    db.execute(dup).await?;
    assert!(fk_violations(&db).await?.is_empty());
    Ok(())
});

db_test!(drop_column_with_an_index_keeps_every_row, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let kept = ["id", "name", "note"];
    let before = dump(&db, "customers", &kept).await?;
    let orders = dump(&db, "orders", &ORDERS).await?;
    let mut op = Operations::new();
    op.drop_column("customers", "email");
    upgrade(&db, &md, &op.into_ops()).await?;
    assert_eq!(dump(&db, "customers", &kept).await?, before);
    assert_eq!(dump(&db, "orders", &ORDERS).await?, orders);
    assert!(fk_violations(&db).await?.is_empty());
    let cols = db
        .query_strings("SELECT name FROM pragma_table_info('customers')")
        .await?;
    assert_eq!(cols, kept);
    assert!(db
        .user_objects()
        .await?
        .iter()
        .all(|o| !o.starts_with("index")));
    Ok(())
});

db_test!(
    rebuilding_a_parent_keeps_its_children_and_their_keys,
    [sqlite],
    |db| {
        let md = shop_db(&db).await?;
        let before = shop_rows(&db).await?;
        let mut op = Operations::new();
        op.alter_column("customers", "email")
            .type_(Type::Varchar(Some(200)));
        let ops = op.into_ops();
        assert!(Sqlite.needs_foreign_keys_off(&ops, &md)?);
        upgrade(&db, &md, &ops).await?;
        // ON DELETE CASCADE did not fire when the old table was dropped.
        assert_eq!(shop_rows(&db).await?, before);
        assert!(fk_violations(&db).await?.is_empty());
        // The children's key now refers to the new table, and still cascades.
        db.execute("DELETE FROM customers WHERE id = 1").await?;
        assert_eq!(dump(&db, "orders", &["id"]).await?, ["3", "4"]);
        assert!(db
            .execute("INSERT INTO orders (customer_id, status) VALUES (1, 'new')")
            .await
            .is_err());
        Ok(())
    }
);

db_test!(
    rebuilding_a_parent_with_keys_on_fails_and_loses_nothing,
    [sqlite],
    |db| {
        let md = shop_db(&db).await?;
        let before = shop_rows(&db).await?;
        let mut op = Operations::new();
        op.alter_column("customers", "email")
            .nullable(true)
            .type_(Type::Text);
        let err = migrate(&db, &md, &op.into_ops(), false).await.unwrap_err();
        assert!(
            err.to_string().contains("needs PRAGMA foreign_keys=OFF"),
            "the guard names the fix: {err}"
        );
        assert_eq!(shop_rows(&db).await?, before);
        Ok(())
    }
);

db_test!(
    autoincrement_never_reuses_ids_across_a_rebuild,
    [sqlite],
    |db| {
        let md = shop_db(&db).await?;
        db.execute("DELETE FROM orders WHERE customer_id = 3; DELETE FROM customers WHERE id = 3")
            .await?;
        let mut op = Operations::new();
        op.alter_column("customers", "note")
            .type_(Type::Varchar(Some(10)));
        upgrade(&db, &md, &op.into_ops()).await?;
        db.execute("INSERT INTO customers (name) VALUES ('Di')")
            .await?;
        assert_eq!(
            db.query_strings("SELECT CAST(id AS TEXT) FROM customers WHERE name = 'Di'")
                .await?,
            ["4"]
        );
        Ok(())
    }
);

db_test!(batched_ops_with_a_rename_map_every_value, [sqlite], |db| {
    let md = shop_db(&db).await?;
    let before = dump(&db, "orders", &ORDERS).await?;
    let mut op = Operations::new();
    op.alter_column("orders", "total")
        .nullable(false)
        .new_column_name("amount");
    op.create_check_constraint("ck_amount", "orders", "amount >= 0");
    op.add_column(
        "orders",
        Column::new("placed_at", Type::Timestamp { tz: true })
            .server_default(ServerDefault::expr("CURRENT_TIMESTAMP")),
    );
    let ops = op.into_ops();
    let stmts = Sqlite.render_ops(&ops, &md)?;
    assert_eq!(
        stmts
            .iter()
            .filter(|s| s.starts_with("CREATE TABLE"))
            .count(),
        1,
        "one rebuild for three ops: {stmts:#?}"
    );
    upgrade(&db, &md, &ops).await?;
    assert_eq!(
        dump(&db, "orders", &["id", "customer_id", "status", "amount"]).await?,
        before
    );
    assert_eq!(
        db.query_strings("SELECT CAST(count(*) AS TEXT) FROM orders WHERE length(placed_at) = 19")
            .await?,
        ["4"]
    );
    Ok(())
});

db_test!(
    new_enum_value_rebuilds_the_tables_that_use_it,
    [sqlite],
    |db| {
        let md = shop_db(&db).await?;
        let before = shop_rows(&db).await?;
        let refund = "UPDATE orders SET status = 'refunded' WHERE id = 1";
        assert!(db.execute(refund).await.is_err());
        let mut op = Operations::new();
        op.add_enum_value("status", "refunded");
        upgrade(&db, &md, &op.into_ops()).await?;
        assert_eq!(shop_rows(&db).await?, before);
        db.execute(refund).await?;
        Ok(())
    }
);

db_test!(
    every_op_on_data_ends_as_create_all_of_the_replayed_schema,
    [sqlite],
    |db| {
        let md = shop_db(&db).await?;
        let after = upgrade(&db, &md, &every_op()).await?;
        assert!(fk_violations(&db).await?.is_empty());
        assert_eq!(
            dump(&db, "customers", &["id", "name", "remark"])
                .await?
                .len(),
            3
        );
        assert_eq!(dump(&db, "purchases", &["id"]).await?.len(), 4);
        let migrated = structure(&db).await?;

        let fresh = TestDb::sqlite("every_op_fresh").await;
        fresh.execute_all(&Sqlite.create_all(&after)?).await?;
        let created = structure(&fresh).await?;
        fresh.close().await?;
        assert_eq!(migrated, created);
        Ok(())
    }
);

db_test!(
    new_not_null_column_needs_a_default_when_rows_exist,
    [sqlite],
    |db| {
        let md = shop_db(&db).await?;
        let mut op = Operations::new();
        op.add_column("orders", Column::new("qty", Type::Integer).not_null());
        let ops = op.into_ops();
        // SQLite's ADD COLUMN refuses NOT NULL without a default, so this is a rebuild, and
        // the copy fails on the existing rows (as PostgreSQL's ADD COLUMN would).
        let err = upgrade(&db, &md, &ops).await.unwrap_err();
        assert!(
            err.to_string().contains("NOT NULL constraint failed"),
            "{err}"
        );
        assert_eq!(dump(&db, "orders", &ORDERS).await?.len(), 4);
        // On an empty table it is fine.
        db.execute("DELETE FROM orders").await?;
        upgrade(&db, &md, &ops).await?;
        let cols = db
            .query_strings("SELECT name FROM pragma_table_info('orders') WHERE \"notnull\"")
            .await?;
        assert!(cols.contains(&"qty".to_string()), "{cols:?}");
        Ok(())
    }
);

db_test!(rebuild_in_an_attached_schema, [sqlite], |db| {
    use sqlx::SqliteConnection;
    async fn run(conn: &mut SqliteConnection, sql: &str) -> Result<(), BoxError> {
        sqlx::raw_sql(sql).execute(conn).await?;
        Ok(())
    }
    async fn rows(
        conn: &mut SqliteConnection,
        table: &str,
        cols: &[&str],
    ) -> Result<String, BoxError> {
        let sql = format!(
            "SELECT group_concat(r, ';') FROM (SELECT {} AS r FROM app.{table} ORDER BY rowid)",
            row_expr(cols)
        );
        Ok(sqlx::query_scalar(&sql).fetch_one(conn).await?)
    }
    // A schema on SQLite is an attached database file, attached per connection: run
    // everything on one.
    let app_file = db
        .sqlite_path()
        .ok_or("a SQLite test database has a file")?
        .with_extension("app.sqlite3");
    let mut conn = db.sqlite_pool().acquire().await?;
    let conn = &mut *conn;
    run(
        conn,
        &format!("ATTACH DATABASE '{}' AS app", app_file.display()),
    )
    .await?;
    let mut md = MetaData::new().with_schema("app");
    for e in shop().enums() {
        md.add_enum(e.clone());
    }
    for t in shop().tables() {
        md.add_table(t.clone());
    }
    for s in Sqlite.create_all(&md)? {
        run(conn, &s).await?;
    }
    let rows_sql = SHOP_ROWS
        .replace("INTO customers", "INTO app.customers")
        .replace("INTO orders", "INTO app.orders");
    run(conn, &rows_sql).await?;
    let before = (
        rows(conn, "customers", &CUSTOMERS).await?,
        rows(conn, "orders", &ORDERS).await?,
    );

    let mut op = Operations::new();
    op.alter_column("customers", "name").type_(Type::Text);
    op.create_index("ix_customers_name", "customers", ["name"]);
    let ops = op.into_ops();
    assert!(Sqlite.needs_foreign_keys_off(&ops, &md)?);
    run(conn, FOREIGN_KEYS_OFF).await?;
    run(conn, "BEGIN").await?;
    for s in Sqlite.render_ops(&ops, &md)? {
        run(conn, &s).await?;
    }
    run(conn, "COMMIT").await?;
    run(conn, FOREIGN_KEYS_ON).await?;

    let after = (
        rows(conn, "customers", &CUSTOMERS).await?,
        rows(conn, "orders", &ORDERS).await?,
    );
    assert_eq!(after, before);
    let objects: Vec<String> = sqlx::query_scalar(
        "SELECT type || ' ' || name FROM app.sqlite_master \
         WHERE name NOT LIKE 'sqlite%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    assert_eq!(
        objects,
        [
            "table customers",
            "index ix_customers_email",
            "index ix_customers_name",
            "table orders"
        ]
    );
    let broken: Vec<String> = sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut *conn)
        .await?;
    assert!(broken.is_empty(), "{broken:?}");
    run(conn, "DETACH DATABASE app").await?;
    Ok(())
});

//! A scripted walk through Retort's query runtime on the seed's model: it migrates a fresh
//! database with the embedded history, then inserts, reads, filters, updates, places an
//! order with its lines through the order, loads a customer's orders (batched) with their
//! lines and products (joined) through the relationships, rolls a transaction back, meets a
//! foreign-key violation, runs raw SQL and deletes a customer, whose orders and lines go
//! with her through the runtime's cascade.
//! Each step prints what it did and checks the answer; any unexpected one stops the tour
//! with exit status 1.
//!
//! ```text
//! cargo run -p ecommerce --example orm_tour                    # a fresh SQLite file, removed after
//! cargo run -p ecommerce --example orm_tour -- --url postgres://user@host/empty_db
//! ```
//!
//! With `--url`, the database must be empty or at head with no rows: the tour writes rows
//! and checks their counts.

use std::error::Error;
use std::io::Write;
use std::process::ExitCode;

use ecommerce::{Customer, Order, OrderItem, Product};
use retort::migrate::DatabaseUrl;
use retort::orm::{Db, Persist, Related, ViolationKind};

type Result<T, E = Box<dyn Error + Send + Sync>> = std::result::Result<T, E>;

/// Stop the tour unless `ok`.
fn expect(ok: bool, what: impl std::fmt::Display) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(format!("unexpected: {what}").into())
    }
}

fn customer(first: &str, last: &str) -> Customer {
    Customer {
        customer_id: 0, // the identity: left out of the INSERT, read back
        first_name: first.into(),
        last_name: last.into(),
        email_address: format!("{}@example.com", first.to_lowercase()),
    }
}

fn order(customer_id: i32) -> Order {
    Order {
        order_id: 0,
        customer_id,
        order_date: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, // server default now()
    }
}

fn product(name: &str, price: f64) -> Product {
    Product {
        product_id: 0,
        product_name: name.into(),
        description: None,
        price,
    }
}

fn item(order_id: i32, p: &Product, quantity: i32) -> OrderItem {
    OrderItem {
        order_item_id: 0,
        order_id,
        product_id: p.product_id,
        quantity,
        unit_price: p.price,
        updated_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, // server default now()
    }
}

/// The tour on `url`, narrated to `out`.
async fn tour(url: &DatabaseUrl, out: &mut (dyn Write + Send)) -> Result<()> {
    writeln!(out, "database: {}", url.redacted())?;

    // 1. The schema: the history of migrations/versions, embedded, brought to head.
    let report = ecommerce::startup::migrate(url, |_| {}).await?;
    for step in &report.steps {
        writeln!(out, "migrate: applied {} ({})", step.revision, step.path)?;
    }
    writeln!(out, "migrate: at head {}", report.heads_after.join(", "))?;
    expect(
        report.heads_after == ["3ea75eaa95a2"],
        "the head is 3ea75eaa95a2",
    )?;
    let db = Db::connect(url.expose_secret()).await?;
    let existing = Customer::find().count(&db).await? + Product::find().count(&db).await?;
    expect(
        existing == 0,
        format!("an empty database, found {existing} rows"),
    )?;

    // 2. Insert: one row, then many in one statement; identities come back.
    let ada = customer("Ada", "Lovelace").insert(&db).await?;
    writeln!(out, "insert: Ada is customer {}", ada.customer_id)?;
    expect(ada.customer_id > 0, "an identity key")?;
    let more = Customer::insert_many(
        &db,
        &[customer("Grace", "Hopper"), customer("Edsger", "Dijkstra")],
    )
    .await?;
    let ids: Vec<i32> = more.iter().map(|c| c.customer_id).collect();
    writeln!(out, "insert_many: Grace and Edsger are customers {ids:?}")?;
    expect(ids.len() == 2 && ids[0] < ids[1], "two keys in order")?;

    // 3. Get by key, change, save; update chosen columns where a filter holds.
    let mut found = Customer::get(&db, ada.customer_id).await?.ok_or("Ada")?;
    found.last_name = "King".into();
    let saved = found.save(&db).await?;
    writeln!(
        out,
        "save: customer {} is now {} {}",
        saved.customer_id, saved.first_name, saved.last_name
    )?;
    expect(saved.last_name == "King", "the saved name")?;
    let changed = Customer::update()
        .set(Customer::email_address, "countess@example.com")
        .filter(Customer::customer_id.eq(ada.customer_id))
        .execute(&db)
        .await?;
    writeln!(out, "update: {changed} row set email_address")?;
    expect(changed == 1, "one row updated")?;

    // 4. Typed filters, order, limit; count and exists.
    let e = Customer::find()
        .filter(
            Customer::email_address
                .like("%@example.com")
                .and(Customer::customer_id.gt(ada.customer_id)),
        )
        .order_by(Customer::customer_id.desc())
        .limit(1)
        .all(&db)
        .await?;
    writeln!(
        out,
        "find: newest customer after Ada with an example.com address: {}",
        e[0].first_name
    )?;
    expect(e.len() == 1 && e[0].first_name == "Edsger", "Edsger")?;
    let n = Customer::find()
        .filter(Customer::last_name.ne("King"))
        .count(&db)
        .await?;
    writeln!(out, "count: {n} customers not named King")?;
    expect(n == 2, "2")?;
    let none = Customer::find()
        .filter(Customer::first_name.is_in(["Alan", "Barbara"]))
        .exists(&db)
        .await?;
    writeln!(out, "exists: a customer named Alan or Barbara? {none}")?;
    expect(!none, "nobody")?;

    // 5. An order with its lines, through the order (`Order::items`, `save-update`): the
    //    order, then its lines with its key, in one transaction.
    let products =
        Product::insert_many(&db, &[product("Engine", 120.0), product("Loom", 80.5)]).await?;
    let (placed, lines) = Order::items
        .insert_with(
            &db,
            &order(ada.customer_id),
            vec![item(0, &products[0], 1), item(0, &products[1], 2)],
        )
        .await?;
    writeln!(
        out,
        "insert_with: order {} of customer {} placed {} with {} lines, committed",
        placed.order_id,
        placed.customer_id,
        placed.order_date.to_rfc3339(),
        lines.len()
    )?;
    expect(
        placed.order_date.timestamp() > 0,
        "now() read back as the order date",
    )?;
    expect(
        lines.iter().all(|l| l.order_id == placed.order_id),
        "each line's order_id set from the order",
    )?;
    // Or added to an order already stored: the line's key set from it.
    let second = order(ada.customer_id).insert(&db).await?;
    let added = Order::items
        .add(&db, &second, item(0, &products[1], 4))
        .await?;
    expect(added.order_id == second.order_id, "the added line's order")?;

    // 6. A transaction dropped without commit rolls back.
    {
        let mut tx = db.begin().await?;
        order(ids[0]).insert(&mut tx).await?;
        let inside = Order::find().count(&mut tx).await?;
        writeln!(
            out,
            "transaction: {inside} orders inside, dropped without commit"
        )?;
        expect(inside == 3, format!("3 orders inside, saw {inside}"))?;
    }
    let after = Order::find().count(&db).await?;
    writeln!(out, "rollback: {after} orders after it")?;
    expect(after == 2, "2 orders")?;

    // 7. A customer's orders with their lines and products through the relationships,
    //    never one query per order: `Customer::orders` in one batched query (SQLAlchemy's
    //    selectinload), then every line of those orders with its product in one joined
    //    query, `.with(OrderItem::product)` (SQLAlchemy's joinedload: `order_items` and
    //    `products` in one statement, each line with `Option<Product>`).
    let mut orders = Customer::orders.load_one(&db, &ada).await?;
    orders.sort_by_key(|o| o.order_id);
    let lines = OrderItem::find()
        .filter(OrderItem::order_id.is_in(orders.iter().map(|o| o.order_id)))
        .order_by(OrderItem::order_item_id.asc())
        .with(OrderItem::product)
        .all(&db)
        .await?;
    for o in &orders {
        let mut said = Vec::new();
        for (l, product) in lines.iter().filter(|(l, _)| l.order_id == o.order_id) {
            let name = &product
                .as_ref()
                .ok_or("a line without its product")?
                .product_name;
            said.push(format!("{} x {} at {}", l.quantity, name, l.unit_price));
        }
        writeln!(out, "load: order {}: {}", o.order_id, said.join(", "))?;
    }
    let total: f64 = lines
        .iter()
        .map(|(l, _)| f64::from(l.quantity) * l.unit_price)
        .sum();
    writeln!(
        out,
        "load: {} orders, {} lines with their products, total {total} (2 queries: orders, lines joined to products)",
        orders.len(),
        lines.len()
    )?;
    expect(
        orders.len() == 2 && lines.len() == 3 && total == 603.0,
        "2 orders, 3 lines, 603.0",
    )?;

    // 8. A constraint violation names the model's field.
    let err = order(9_999)
        .insert(&db)
        .await
        .err()
        .ok_or("an order of customer 9999 was accepted")?;
    let violation = err
        .violation()
        .ok_or_else(|| format!("a violation, got {err}"))?;
    writeln!(
        out,
        "violation: {} on {}.{}",
        violation.kind,
        violation.model,
        violation.fields.join(", ")
    )?;
    expect(
        violation.kind == ViolationKind::ForeignKey && violation.fields == ["customer_id"],
        "a foreign-key violation on customer_id",
    )?;

    // 9. Raw SQL, mapped to the model by column name (parameters as the database writes them).
    let sql = format!(
        "SELECT * FROM orders WHERE customer_id = {} AND order_id > {} ORDER BY order_id",
        db.backend().placeholder(1),
        db.backend().placeholder(2)
    );
    let raw = Order::raw(sql)
        .bind(ada.customer_id)
        .bind(placed.order_id)
        .all(&db)
        .await?;
    writeln!(
        out,
        "raw: orders of Ada after {}: {:?}",
        placed.order_id,
        raw.iter().map(|o| o.order_id).collect::<Vec<_>>()
    )?;
    expect(
        raw.len() == 1 && raw[0].order_id == second.order_id,
        "the second order",
    )?;

    // 10. Delete a customer: the runtime deletes her orders' lines, her orders, then her, in
    //     one transaction (the `delete` cascade of `Customer::orders` and `Order::items`),
    //     whatever the foreign keys' ON DELETE says.
    let gone = ada.delete(&db).await?;
    let orders_left = Order::find().count(&db).await?;
    let lines_left = OrderItem::find().count(&db).await?;
    writeln!(
        out,
        "delete: Ada deleted ({gone}); {orders_left} orders and {lines_left} lines left"
    )?;
    expect(
        gone && orders_left == 0 && lines_left == 0,
        "her orders and lines gone",
    )?;
    writeln!(out, "tour: every step as expected")?;
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (url, scratch) = match (args.next().as_deref(), args.next()) {
        (None, _) => {
            let path =
                std::env::temp_dir().join(format!("ecommerce-orm-tour-{}.db", std::process::id()));
            (DatabaseUrl::sqlite_file(&path), Some(path))
        }
        (Some("--url"), Some(url)) => match ecommerce::startup::parse_url(&url) {
            Ok(url) => (url, None),
            Err(e) => {
                eprintln!("orm_tour: error: {e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: orm_tour [--url postgres://...|sqlite://...]");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let outcome = match runtime {
        Ok(rt) => rt.block_on(tour(&url, &mut std::io::stdout())),
        Err(e) => Err(e.into()),
    };
    if let Some(path) = scratch {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orm_tour: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_testkit::{block_on, TestDb};

    async fn run(db: &TestDb) -> String {
        let url = DatabaseUrl::parse(db.url()).expect("the test database's URL");
        let mut out = Vec::new();
        let outcome = tour(&url, &mut out).await;
        let text = String::from_utf8(out).expect("text");
        if let Err(e) = outcome {
            panic!("the tour stopped: {e}\n{text}");
        }
        text
    }

    #[test]
    fn tour_runs_on_sqlite() {
        block_on(async {
            let db = TestDb::sqlite("orm_tour::sqlite").await;
            let text = run(&db).await;
            assert!(text.contains("migrate: applied 5cc88b64dda9"), "{text}");
            assert!(text.ends_with("tour: every step as expected\n"), "{text}");
            // A second tour meets the first one's rows: an unexpected answer stops it with
            // an error (main's exit status 1), it does not carry on.
            let url = DatabaseUrl::parse(db.url()).expect("the test database's URL");
            let again = tour(&url, &mut Vec::new())
                .await
                .expect_err("rows were there");
            assert!(
                again
                    .to_string()
                    .starts_with("unexpected: an empty database"),
                "{again}"
            );
            db.close().await.expect("dropped");
        })
    }

    #[test]
    fn tour_runs_on_postgres() {
        block_on(async {
            let db = TestDb::postgres("orm_tour::postgres").await;
            let text = run(&db).await;
            assert!(text.ends_with("tour: every step as expected\n"), "{text}");
            db.close().await.expect("dropped");
        })
    }
}

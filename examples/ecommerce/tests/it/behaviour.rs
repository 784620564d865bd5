//! The seed schema with real rows: identities, the server default, the cascade.

use retort::dialect::{Dialect, Postgres};
use retort_testkit::db_test;

db_test!(
    identity_default_and_cascade_work_with_rows,
    [postgres],
    |db| {
        db.execute_all(&Postgres.create_all(&ecommerce::seed_metadata())?)
            .await?;
        db.execute(
            "INSERT INTO customers (first_name, last_name, email_address)
             VALUES ('Ada', 'Lovelace', 'ada@example.com');
         INSERT INTO orders (customer_id) SELECT customer_id FROM customers;
         INSERT INTO products (product_name, price) VALUES ('Engine', 9.5);",
        )
        .await?;
        // Identity ALWAYS numbered the rows; now() filled the order date.
        let orders = db
        .query_strings(
            "SELECT order_id || ':' || customer_id || ':' || (order_date IS NOT NULL) FROM orders",
        )
        .await?;
        assert_eq!(orders, vec!["1:1:true"]);
        // GENERATED ALWAYS refuses an explicit id.
        let explicit = db
            .execute("INSERT INTO products (product_id, product_name, price) VALUES (5, 'x', 1)")
            .await;
        assert!(explicit.is_err(), "an explicit id was accepted");
        // NOT NULL on the required columns.
        assert!(db
            .execute("INSERT INTO products (price) VALUES (1)")
            .await
            .is_err());
        // ON DELETE CASCADE removes the customer's orders.
        db.execute("DELETE FROM customers").await?;
        assert_eq!(
            db.query_strings("SELECT count(*)::text FROM orders")
                .await?,
            vec!["0"]
        );
        Ok(())
    }
);

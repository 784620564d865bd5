//! A MariaDB/MySQL TestDb is fresh, isolated, usable, marked and dropped afterwards.

use retort_testkit::{
    block_on, marker, parse_marker, MySqlServer, TestDb, TestDbError, TestDialect, DATABASE_PREFIX,
    MARKER_ROUTINE,
};

async fn current_database(db: &TestDb) -> String {
    db.query_strings("SELECT DATABASE()")
        .await
        .expect("DATABASE()")
        .remove(0)
}

#[test]
fn fresh_database_is_empty_and_named_after_the_test() {
    block_on(async {
        let db = TestDb::mysql("it::mysql::Fresh-Database!").await;
        assert_eq!(db.dialect(), TestDialect::Mysql);
        assert!(db.name().starts_with(DATABASE_PREFIX), "{}", db.name());
        assert!(
            db.name().ends_with("_it_mysql_fresh_database"),
            "{}",
            db.name()
        );
        assert_eq!(current_database(&db).await, db.name());
        assert!(
            db.url().ends_with(&format!("/{}", db.name())),
            "{}",
            db.redacted_url()
        );
        assert_eq!(db.user_objects().await.unwrap(), Vec::<String>::new());
        // The same collation on MariaDB and MySQL 8, whatever the server's default.
        let collation = db
            .query_strings(
                "SELECT CAST(DEFAULT_COLLATION_NAME AS CHAR) FROM information_schema.SCHEMATA \
                 WHERE SCHEMA_NAME = DATABASE()",
            )
            .await
            .unwrap();
        assert_eq!(collation, vec!["utf8mb4_bin"]);
        db.close().await.unwrap();
    });
}

#[test]
fn a_test_database_carries_this_runs_marker() {
    block_on(async {
        let server = MySqlServer::from_env().unwrap();
        let db = TestDb::mysql("marker_probe").await;
        assert_eq!(server.marker_of(db.name()).await.unwrap(), Some(marker()));
        // Invisible to the tables a catalog introspection reads.
        let tables = db
            .query_strings(
                "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE()",
            )
            .await
            .unwrap();
        assert_eq!(tables, Vec::<String>::new());
        db.close().await.unwrap();
    });
}

#[test]
fn two_databases_are_isolated_and_user_objects_lists_every_kind() {
    block_on(async {
        let first = TestDb::mysql("isolated_a").await;
        let second = TestDb::mysql("isolated_b").await;
        assert_ne!(first.name(), second.name());
        first
            .execute(
                "CREATE TABLE only_in_first (id integer PRIMARY KEY, v integer);
                 CREATE INDEX ix_v ON only_in_first (v);
                 CREATE VIEW v_first AS SELECT id FROM only_in_first;",
            )
            .await
            .unwrap();
        assert_eq!(
            first.user_objects().await.unwrap(),
            vec![
                "table only_in_first",
                "index only_in_first.PRIMARY",
                "index only_in_first.ix_v",
                "view v_first",
            ]
        );
        assert_eq!(second.user_objects().await.unwrap(), Vec::<String>::new());
        first.close().await.unwrap();
        second.close().await.unwrap();
    });
}

#[test]
fn close_drops_the_database_even_with_an_open_transaction() {
    block_on(async {
        let server = MySqlServer::from_env().unwrap();
        let db = TestDb::mysql("close_drops").await;
        let name = db.name().to_owned();
        db.execute("CREATE TABLE t (id integer)").await.unwrap();
        // A connection the test forgot, in a transaction holding a metadata lock on `t`:
        // a plain DROP DATABASE would wait for it.
        let stray = sqlx::MySqlPool::connect(db.url()).await.unwrap();
        let mut tx = stray.begin().await.unwrap();
        sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut *tx)
            .await
            .unwrap();
        assert!(server.database_exists(&name).await.unwrap());
        tokio::time::timeout(std::time::Duration::from_secs(30), db.close())
            .await
            .expect("DROP DATABASE waited for the stray session")
            .unwrap();
        assert!(
            !server.database_exists(&name).await.unwrap(),
            "{name} still exists"
        );
        drop(tx);
        stray.close().await;
    });
}

#[test]
fn a_panicking_test_still_drops_its_database() {
    let name = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let seen = name.clone();
    let outcome = std::thread::spawn(move || {
        block_on(async move {
            let db = TestDb::mysql("panicking").await;
            *seen.lock().unwrap() = db.name().to_owned();
            panic!("the test body fails");
        })
    })
    .join();
    assert!(outcome.is_err(), "the body should have panicked");
    let name = name.lock().unwrap().clone();
    assert!(!name.is_empty());
    block_on(async {
        let server = MySqlServer::from_env().unwrap();
        assert!(
            !server.database_exists(&name).await.unwrap(),
            "{name} leaked"
        );
    });
}

#[test]
fn execute_all_runs_statements_in_order_and_stops_at_the_first_error() {
    block_on(async {
        let db = TestDb::mysql("execute_all").await;
        let statements = vec![
            "CREATE TABLE steps (n integer NOT NULL)".to_owned(),
            "INSERT INTO steps VALUES (1)".to_owned(),
            "INSERT INTO steps SELECT max(n) + 1 FROM steps AS s".to_owned(),
        ];
        db.execute_all(&statements).await.unwrap();
        let rows = db
            .query_strings("SELECT CAST(n AS CHAR) FROM steps ORDER BY n")
            .await
            .unwrap();
        assert_eq!(rows, vec!["1", "2"]);
        let failing = vec![
            "INSERT INTO steps VALUES (10)".to_owned(),
            "INSERT INTO no_such_table VALUES (1)".to_owned(),
            "INSERT INTO steps VALUES (11)".to_owned(),
        ];
        let err = db.execute_all(&failing).await.unwrap_err();
        assert!(matches!(err, TestDbError::Sql { .. }), "{err:?}");
        assert!(err.to_string().contains("no_such_table"), "{err}");
        let rows = db
            .query_strings("SELECT CAST(n AS CHAR) FROM steps ORDER BY n")
            .await
            .unwrap();
        assert_eq!(rows, vec!["1", "2", "10"]);
        db.close().await.unwrap();
    });
}

#[test]
fn an_unreachable_server_is_an_error_that_hides_the_password() {
    block_on(async {
        let server = MySqlServer::at("mysql://someone:s3cret-pw@127.0.0.1:1");
        let err = TestDb::try_mysql_on(&server, "unreachable")
            .await
            .unwrap_err();
        assert!(matches!(err, TestDbError::Unreachable { .. }), "{err:?}");
        let message = retort_testkit::no_mysql_message(&err);
        assert!(!message.contains("s3cret-pw"), "{message}");
        assert!(message.contains("someone:***@127.0.0.1:1"), "{message}");
        assert!(message.contains("never skip"), "{message}");
        assert!(!format!("{server:?}").contains("s3cret-pw"));
    });
}

/// On a shared server, databases shaped like the testkit's but made by someone else (no
/// marker, or another run's) survive the cleanup; one this run left behind (its process
/// gone) is dropped; a live one stays.
#[test]
fn cleanup_drops_only_what_this_run_left_behind() {
    block_on(async {
        let server = MySqlServer::from_env().unwrap();
        let mine = parse_marker(&marker()).unwrap();
        // u32::MAX and below are above any Linux pid_max: those "processes" are surely gone.
        let unmarked = format!("{DATABASE_PREFIX}{}_0_my_foreign_unmarked", u32::MAX);
        let other_run = format!("{DATABASE_PREFIX}{}_0_my_foreign_other_run", u32::MAX - 1);
        let leaked = format!("{DATABASE_PREFIX}{}_0_my_our_leak", u32::MAX - 2);
        let markers = [
            (&unmarked, None),
            (
                &other_run,
                Some(format!(
                    "retort-testkit run=someone-else host={} pid={}",
                    mine.host,
                    u32::MAX - 1
                )),
            ),
            (
                &leaked,
                Some(format!(
                    "retort-testkit run={} host={} pid={}",
                    mine.run,
                    mine.host,
                    u32::MAX - 2
                )),
            ),
        ];
        let mut conn = server.connect().await.unwrap();
        for (name, comment) in &markers {
            sqlx::raw_sql(&format!("CREATE DATABASE `{name}`"))
                .execute(&mut conn)
                .await
                .unwrap();
            if let Some(comment) = comment {
                sqlx::raw_sql(&format!(
                    "CREATE FUNCTION `{name}`.`{MARKER_ROUTINE}`() RETURNS INT \
                     DETERMINISTIC NO SQL COMMENT '{comment}' RETURN 1"
                ))
                .execute(&mut conn)
                .await
                .unwrap();
            }
        }
        let live = TestDb::mysql("cleanup_live_probe").await;

        let dropped = server.drop_leaked_databases().await.unwrap();
        let survived = (
            server.database_exists(&unmarked).await.unwrap(),
            server.database_exists(&other_run).await.unwrap(),
        );
        for name in [&unmarked, &other_run] {
            server.drop_database(name).await.unwrap();
        }
        assert_eq!(
            survived,
            (true, true),
            "someone else's database was dropped"
        );
        assert!(
            !dropped.contains(&unmarked) && !dropped.contains(&other_run),
            "{dropped:?}"
        );
        assert!(
            !server.database_exists(&leaked).await.unwrap(),
            "{leaked} was left"
        );
        assert!(!dropped.contains(&live.name().to_owned()), "{dropped:?}");
        assert!(server.database_exists(live.name()).await.unwrap());
        live.close().await.unwrap();
    });
}

retort_testkit::db_test!(db_test_runs_on_mysql, [mysql], |db| {
    assert_eq!(db.dialect(), TestDialect::Mysql);
    db.execute("CREATE TABLE per_dialect (id integer PRIMARY KEY)")
        .await?;
    assert_eq!(
        db.user_objects().await?,
        vec!["table per_dialect", "index per_dialect.PRIMARY"]
    );
    Ok(())
});

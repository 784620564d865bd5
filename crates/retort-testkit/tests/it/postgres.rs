//! A PostgreSQL TestDb is fresh, isolated, usable, dumpable and dropped afterwards.

use retort_testkit::{
    block_on, marker, parse_marker, PgServer, TestDb, TestDbError, TestDialect, DATABASE_PREFIX,
};

async fn current_database(db: &TestDb) -> String {
    db.query_strings("SELECT current_database()::text")
        .await
        .expect("current_database()")
        .remove(0)
}

#[test]
fn fresh_database_is_empty_and_named_after_the_test() {
    block_on(async {
        let db = TestDb::postgres("it::postgres::Fresh-Database!").await;
        assert_eq!(db.dialect(), TestDialect::Postgres);
        assert!(db.name().starts_with(DATABASE_PREFIX), "{}", db.name());
        assert!(
            db.name().ends_with("_it_postgres_fresh_database"),
            "{}",
            db.name()
        );
        assert!(db.name().contains(&std::process::id().to_string()));
        assert_eq!(current_database(&db).await, db.name());
        assert!(
            db.url().ends_with(&format!("/{}", db.name())),
            "{}",
            db.redacted_url()
        );
        assert_eq!(db.user_objects().await.unwrap(), Vec::<String>::new());
        db.close().await.unwrap();
    });
}

#[test]
fn url_connects_to_the_same_database_as_the_pool() {
    block_on(async {
        let db = TestDb::postgres("url_connects").await;
        db.execute("CREATE TABLE marker (id integer)")
            .await
            .unwrap();
        let pool = sqlx::PgPool::connect(db.url()).await.unwrap();
        let found: String = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(found, "marker");
        pool.close().await;
        db.close().await.unwrap();
    });
}

#[test]
fn two_databases_are_isolated() {
    block_on(async {
        let first = TestDb::postgres("isolated_a").await;
        let second = TestDb::postgres("isolated_b").await;
        assert_ne!(first.name(), second.name());
        first
            .execute("CREATE TABLE only_in_first (id integer)")
            .await
            .unwrap();
        assert_eq!(
            first.user_objects().await.unwrap(),
            vec!["table public.only_in_first"]
        );
        assert_eq!(second.user_objects().await.unwrap(), Vec::<String>::new());
        first.close().await.unwrap();
        second.close().await.unwrap();
    });
}

#[test]
fn close_drops_the_database_even_with_open_connections() {
    block_on(async {
        let server = PgServer::from_env().unwrap();
        let db = TestDb::postgres("close_drops").await;
        let name = db.name().to_owned();
        // A connection the test forgot: DROP ... WITH (FORCE) must not wait for it.
        let stray = sqlx::PgPool::connect(db.url()).await.unwrap();
        sqlx::query("SELECT 1").execute(&stray).await.unwrap();
        assert!(server.database_exists(&name).await.unwrap());
        db.close().await.unwrap();
        assert!(
            !server.database_exists(&name).await.unwrap(),
            "{name} still exists"
        );
    });
}

#[test]
fn drop_without_close_drops_the_database() {
    let name = block_on(async {
        let db = TestDb::postgres("drop_fallback").await;
        db.execute("CREATE TABLE t (id integer)").await.unwrap();
        db.name().to_owned()
        // `db` dropped here, inside the runtime, as when a test panics.
    });
    block_on(async {
        let server = PgServer::from_env().unwrap();
        assert!(
            !server.database_exists(&name).await.unwrap(),
            "{name} leaked"
        );
    });
}

#[test]
fn a_panicking_test_still_drops_its_database() {
    let name = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let seen = name.clone();
    let outcome = std::thread::spawn(move || {
        block_on(async move {
            let db = TestDb::postgres("panicking").await;
            *seen.lock().unwrap() = db.name().to_owned();
            panic!("the test body fails");
        })
    })
    .join();
    assert!(outcome.is_err(), "the body should have panicked");
    let name = name.lock().unwrap().clone();
    assert!(!name.is_empty());
    block_on(async {
        let server = PgServer::from_env().unwrap();
        assert!(
            !server.database_exists(&name).await.unwrap(),
            "{name} leaked"
        );
    });
}

#[test]
fn execute_all_runs_statements_in_order_and_stops_at_the_first_error() {
    block_on(async {
        let db = TestDb::postgres("execute_all").await;
        let statements = vec![
            "CREATE TABLE steps (n integer NOT NULL)".to_owned(),
            "INSERT INTO steps VALUES (1)".to_owned(),
            "INSERT INTO steps SELECT max(n) + 1 FROM steps".to_owned(),
        ];
        db.execute_all(&statements).await.unwrap();
        let rows = db
            .query_strings("SELECT n::text FROM steps ORDER BY steps.n")
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
            .query_strings("SELECT n::text FROM steps ORDER BY steps.n")
            .await
            .unwrap();
        assert_eq!(rows, vec!["1", "2", "10"]);
        db.close().await.unwrap();
    });
}

#[test]
fn pg_dump_schema_shows_the_tables() {
    block_on(async {
        let db = TestDb::postgres("pg_dump_schema").await;
        db.execute("CREATE TABLE dumped (id integer PRIMARY KEY, label text NOT NULL)")
            .await
            .unwrap();
        let dump = db.pg_dump_schema().await.unwrap();
        assert!(dump.contains("CREATE TABLE public.dumped ("), "{dump}");
        assert!(dump.contains("    label text NOT NULL"), "{dump}");
        assert!(
            dump.contains("ADD CONSTRAINT dumped_pkey PRIMARY KEY (id);"),
            "{dump}"
        );
        db.close().await.unwrap();
    });
}

#[test]
fn user_objects_lists_every_kind() {
    block_on(async {
        let db = TestDb::postgres("user_objects").await;
        db.execute(
            "CREATE SCHEMA extra;
             CREATE TYPE mood AS ENUM ('ok', 'sad');
             CREATE TABLE extra.t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood);
             CREATE INDEX ix_t_m ON extra.t (m);",
        )
        .await
        .unwrap();
        assert_eq!(
            db.user_objects().await.unwrap(),
            vec![
                "schema extra",
                "index extra.ix_t_m",
                "table extra.t",
                "sequence extra.t_id_seq",
                "index extra.t_pkey",
                "enum public.mood",
            ]
        );
        db.close().await.unwrap();
    });
}

#[test]
fn an_unreachable_server_is_an_error_that_hides_the_password() {
    block_on(async {
        let server = PgServer::at("postgres://someone:s3cret-pw@127.0.0.1:1/postgres");
        let err = TestDb::try_postgres_on(&server, "unreachable")
            .await
            .unwrap_err();
        assert!(matches!(err, TestDbError::Unreachable { .. }), "{err:?}");
        let message = retort_testkit::no_postgres_message(&err);
        assert!(!message.contains("s3cret-pw"), "{message}");
        assert!(message.contains("someone:***@127.0.0.1:1"), "{message}");
        assert!(message.contains("never skip"), "{message}");
        assert!(!format!("{server:?}").contains("s3cret-pw"));
    });
}

/// On a shared server, databases shaped like the testkit's but made by someone else (no
/// marker, or another run's) survive the cleanup, even when the pid in their name is not a
/// process here; one this run left behind (its process gone) is dropped; a live one stays.
#[test]
fn cleanup_drops_only_what_this_run_left_behind() {
    block_on(async {
        let server = PgServer::from_env().unwrap();
        let mine = parse_marker(&marker()).unwrap();
        // u32::MAX and below are above any Linux pid_max: those "processes" are surely gone.
        let unmarked = format!("{DATABASE_PREFIX}{}_0_foreign_unmarked", u32::MAX);
        let other_run = format!("{DATABASE_PREFIX}{}_0_foreign_other_run", u32::MAX - 1);
        let leaked = format!("{DATABASE_PREFIX}{}_0_our_leak", u32::MAX - 2);
        let comments = [
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
        for (name, comment) in &comments {
            sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .await
                .unwrap();
            if let Some(comment) = comment {
                sqlx::raw_sql(&format!("COMMENT ON DATABASE \"{name}\" IS '{comment}'"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
        }
        let live = TestDb::postgres("cleanup_live_probe").await;

        // Other processes of this run clean up as they start: check outcomes, not who did it.
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

#[test]
fn a_test_database_carries_this_runs_marker() {
    block_on(async {
        let db = TestDb::postgres("marker_probe").await;
        let comment = db
            .query_strings(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database \
                 WHERE datname = current_database()",
            )
            .await
            .unwrap();
        assert_eq!(comment, vec![marker()]);
        db.close().await.unwrap();
    });
}

#[test]
fn a_database_outliving_its_runtime_is_still_dropped() {
    let db = block_on(TestDb::postgres("outlives_runtime"));
    let name = db.name().to_owned();
    drop(db); // no runtime here: the pool's connections die with the old one
    block_on(async {
        let server = PgServer::from_env().unwrap();
        assert!(
            !server.database_exists(&name).await.unwrap(),
            "{name} leaked"
        );
    });
}

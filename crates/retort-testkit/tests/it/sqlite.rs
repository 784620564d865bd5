//! A SQLite TestDb is a fresh file of its own, removed afterwards.

use retort_testkit::{block_on, TestDb, TestDbError, TestDialect};

#[test]
fn fresh_file_is_isolated_and_removed_on_close() {
    block_on(async {
        let first = TestDb::sqlite("sqlite_a").await;
        let second = TestDb::sqlite("sqlite_b").await;
        assert_eq!(first.dialect(), TestDialect::Sqlite);
        let path = first.sqlite_path().unwrap().to_owned();
        assert!(path.exists());
        assert_ne!(path, second.sqlite_path().unwrap());
        assert!(first.url().starts_with("sqlite://"));

        first
            .execute_all(&[
                "CREATE TABLE t (id INTEGER PRIMARY KEY)".to_owned(),
                "INSERT INTO t VALUES (7)".to_owned(),
            ])
            .await
            .unwrap();
        assert_eq!(first.user_objects().await.unwrap(), vec!["table t"]);
        assert_eq!(second.user_objects().await.unwrap(), Vec::<String>::new());
        assert_eq!(
            first
                .query_strings("SELECT CAST(id AS TEXT) FROM t")
                .await
                .unwrap(),
            vec!["7"]
        );

        first.close().await.unwrap();
        second.close().await.unwrap();
        assert!(!path.exists(), "{} was left behind", path.display());
    });
}

#[test]
fn foreign_keys_are_enforced() {
    block_on(async {
        let db = TestDb::sqlite("sqlite_fk").await;
        db.execute(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id));",
        )
        .await
        .unwrap();
        let err = db
            .execute("INSERT INTO child VALUES (1)")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
        db.close().await.unwrap();
    });
}

#[test]
fn pg_dump_is_refused_on_sqlite() {
    block_on(async {
        let db = TestDb::sqlite("sqlite_no_dump").await;
        let err = db.pg_dump_schema().await.unwrap_err();
        assert!(matches!(err, TestDbError::Unsupported { .. }), "{err:?}");
        db.close().await.unwrap();
    });
}

#[test]
fn sqlite_schema_lists_the_create_statements_in_order() {
    block_on(async {
        let db = TestDb::sqlite("sqlite_schema").await;
        db.execute(
            "CREATE TABLE b (id INTEGER PRIMARY KEY, label TEXT UNIQUE);
             CREATE TABLE a (id INTEGER PRIMARY KEY);
             CREATE INDEX ix_a ON a (id);",
        )
        .await
        .unwrap();
        assert_eq!(
            db.sqlite_schema().await.unwrap(),
            vec![
                "CREATE TABLE b (id INTEGER PRIMARY KEY, label TEXT UNIQUE)",
                "CREATE TABLE a (id INTEGER PRIMARY KEY)",
                "CREATE INDEX ix_a ON a (id)",
            ]
        );
        db.close().await.unwrap();
    });
}

//! MySQL introspection on a real MariaDB (retort-testkit: a fresh database per test): every
//! model created by `create_all` reads back so that the diff with [`MysqlCompare`] against
//! the model as MySQL keeps it ([`as_stored`]) finds nothing: the no-false-positives proof
//! (display widths, `tinyint(1)`, charset and collation defaults, `current_timestamp()`
//! spellings, `DEFAULT NULL`, MariaDB's JSON as LONGTEXT + `json_valid`). And a change is
//! still seen, the queries are a fixed number, and hand-made schemas read back as written.

use retort_core::diff::{diff_with, DiffOptions};
use retort_core::{MetaData, Type};
use retort_dialect::mysql::introspect::{
    build_mysql_metadata, Flavour, MysqlCatalogQuery, MysqlCatalogRows, MysqlIntrospectOptions,
};
use retort_dialect::mysql::{as_stored, MysqlCompare};
use retort_dialect::{Dialect, Mysql};
use retort_testkit::{db_test, BoxError, TestDb};
use sqlx::Row as _;

use crate::mysql_ddl;

/// Runs the five catalog queries in one read-only snapshot.
async fn introspect(db: &TestDb) -> Result<MetaData, BoxError> {
    let mut conn = db.mysql_pool().acquire().await?;
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(&mut *conn)
        .await?;
    let options = MysqlIntrospectOptions::default().flavour(Flavour::from_version(&version));
    sqlx::raw_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        .execute(&mut *conn)
        .await?;
    let mut rows = MysqlCatalogRows::default();
    for q in MysqlCatalogQuery::ALL {
        let fetched = sqlx::query(q.sql(options.flavour))
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| format!("{}: {e}", q.file_name()))?;
        for row in fetched {
            let values: Result<Vec<Option<String>>, sqlx::Error> = (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i))
                .collect();
            rows.rows_mut(q)
                .push(values.map_err(|e| format!("{}: {e}", q.file_name()))?);
        }
    }
    sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
    Ok(build_mysql_metadata(&rows, &options)?)
}

db_test!(every_model_reads_back_without_a_difference, [mysql], |db| {
    for (what, md) in mysql_ddl::all() {
        db.execute_all(&Mysql.create_all(&md)?).await?;
        let read = introspect(&db).await?;
        let names = |m: &MetaData| {
            let mut n: Vec<String> = m.tables().iter().map(|t| t.name.clone()).collect();
            n.sort();
            n
        };
        assert_eq!(names(&read), names(&md), "{what}: tables read back");
        let found = diff_with(
            &read,
            &as_stored(&md),
            &DiffOptions::default(),
            &MysqlCompare,
        );
        assert!(
            found.is_empty() && found.warnings.is_empty(),
            "{what}: changes found after a round trip:\n{}\nwarnings: {:?}\nread: {read:#?}",
            found.log.join("\n"),
            found.warnings
        );
        db.execute_all(&Mysql.drop_all(&md)?).await?;
    }
    Ok(())
});

db_test!(a_real_change_is_still_seen, [mysql], |db| {
    let md = mysql_ddl::columns();
    db.execute_all(&Mysql.create_all(&md)?).await?;
    let read = introspect(&db).await?;
    let mut changed = md.clone();
    for t in changed.tables_mut() {
        if t.name == "defaults" {
            for c in &mut t.columns {
                if c.name == "qty" {
                    c.ty = Type::BigInt;
                }
                if c.name == "label" {
                    c.server_default = None;
                }
            }
        }
    }
    let found = diff_with(
        &read,
        &as_stored(&changed),
        &DiffOptions::default(),
        &MysqlCompare,
    );
    let log = found.log.join("\n");
    assert!(log.contains("qty"), "{log}");
    assert!(log.contains("label"), "{log}");
    Ok(())
});

db_test!(hand_made_tables_read_back_as_written, [mysql], |db| {
    db.execute(
        "CREATE TABLE legacy (
            id INT(11) UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            flag TINYINT(1) NOT NULL DEFAULT 1,
            small TINYINT(4),
            doc JSON,
            ts TIMESTAMP NULL DEFAULT NULL,
            name VARCHAR(30) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
            made DATETIME(6) DEFAULT current_timestamp(6),
            KEY ix_name (name)
        ) COMMENT 'old'",
    )
    .await?;
    let read = introspect(&db).await?;
    let t = read.get_table(None, "legacy").ok_or("no legacy table")?;
    let ty = |c: &str| t.get_column(c).map(|c| c.ty.clone());
    assert_eq!(
        ty("id"),
        Some(Type::Custom("int(11) unsigned".into())).or(ty("id"))
    );
    assert!(matches!(ty("id"), Some(Type::Custom(_))), "{:?}", ty("id"));
    assert_eq!(ty("flag"), Some(Type::Boolean));
    assert!(
        matches!(ty("small"), Some(Type::Custom(_))),
        "{:?}",
        ty("small")
    );
    assert_eq!(ty("doc"), Some(Type::Json));
    assert!(t.checks.is_empty(), "{:?}", t.checks);
    assert_eq!(
        t.get_column("name")
            .and_then(|c| c.collation.clone())
            .as_deref(),
        Some("latin1_swedish_ci")
    );
    assert_eq!(
        t.get_column("ts").and_then(|c| c.server_default.clone()),
        None
    );
    assert!(t.get_column("id").is_some_and(|c| c.identity.is_some()));
    assert_eq!(t.comment.as_deref(), Some("old"));
    assert_eq!(t.indexes.len(), 1);
    Ok(())
});

db_test!(the_query_count_is_fixed, [mysql], |db| {
    // Five queries whatever the number of tables: the API runs each once.
    let mut md = MetaData::new();
    for i in 0..40 {
        md.add_table(
            retort_core::Table::new(format!("t{i}"))
                .column(retort_core::Column::new("id", Type::Integer).not_null())
                .primary_key(["id"]),
        );
    }
    db.execute_all(&Mysql.create_all(&md)?).await?;
    let read = introspect(&db).await?;
    assert_eq!(read.tables().len(), 40);
    assert_eq!(MysqlCatalogQuery::ALL.len(), 5);
    Ok(())
});

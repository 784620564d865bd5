//! SQLite introspection on real database files (retort-testkit: a fresh file per test): a
//! model created with the SQLite dialect reads back as `normalise_model_for_sqlite` of the
//! same model, exactly, so a comparison of the two finds nothing; hand-written schemas with
//! hostile names, comments and column-level constraints read back as written; the tool's own
//! and SQLite's internal tables are left out; and three queries read any number of tables.

use retort_core::diff::{diff, DiffOptions};
use retort_core::ops::Op;
use retort_core::{
    Check, Column, Computed, Deferrable, FkAction, ForeignKey, Identity, Index, IndexElement,
    Literal, MetaData, PrimaryKey, ServerDefault, Table, Type, Unique,
};
use retort_dialect::sqlite::introspect::{
    build_sqlite_metadata, normalise_model_for_sqlite, SqliteCatalogQuery, SqliteCatalogRows,
    SqliteIntrospectOptions,
};
use retort_dialect::sqlite::{FOREIGN_KEYS_OFF, FOREIGN_KEYS_ON};
use retort_dialect::{Dialect, Sqlite};
use retort_testkit::{db_test, BoxError, TestDb};
use sqlx::Row as _;

use crate::{models, sqlite_ddl};

/// Runs the three catalog queries in one read transaction, binding `?1`.
async fn fetch(
    db: &TestDb,
    options: &SqliteIntrospectOptions,
) -> Result<SqliteCatalogRows, BoxError> {
    let mut conn = db.sqlite_pool().acquire().await?;
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
    let mut rows = SqliteCatalogRows::default();
    for q in SqliteCatalogQuery::ALL {
        let fetched = sqlx::query(q.sql())
            .bind(options.excluded_json())
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| format!("{}: {e}", q.file_name()))?;
        for row in fetched {
            let values: Result<Vec<Option<String>>, sqlx::Error> = (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i))
                .collect();
            rows.rows_mut(q).push(values?);
        }
    }
    sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
    Ok(rows)
}

async fn introspect(db: &TestDb) -> Result<MetaData, BoxError> {
    let options = SqliteIntrospectOptions::default();
    Ok(build_sqlite_metadata(
        &fetch(db, &options).await?,
        &options,
    )?)
}

/// Table by table, so a failure names the table and shows both sides.
fn assert_same_schema(expected: &MetaData, actual: &MetaData, what: &str) {
    let names = |md: &MetaData| {
        md.tables()
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(actual), names(expected), "{what}: tables");
    for (e, a) in expected.tables().iter().zip(actual.tables()) {
        assert_eq!(a, e, "{what}: table `{}` (left: introspected)", e.name);
    }
    assert_eq!(actual, expected, "{what}");
}

/// Hostile names everywhere the dialect quotes them, for the round trip.
fn hostile() -> MetaData {
    let mut parent = Table::new("we\"ird \u{e9}t\u{e9}")
        .column(Column::new("select", Type::Integer).identity(Identity::by_default()))
        .column(Column::new("a b", Type::Varchar(Some(20))).not_null())
        .column(
            Column::new("it's", Type::Text)
                .server_default(ServerDefault::text("-- not a comment /*")),
        )
        .primary_key(["select"])
        .check(Some("chk \"quoted\", (paren"), "\"a b\" <> ')'")
        .index(
            Index::on(vec![
                IndexElement::column("a b").desc(),
                IndexElement::expr("length(\"it's\")"),
            ])
            .name("ix \"q\" (1)")
            .unique(),
        );
    parent.primary_key = Some(PrimaryKey::new(["select"]).name("pk,\"x\""));
    parent
        .uniques
        .push(Unique::new(["a b", "it's"]).name("uq [1]"));
    MetaData::new().table(parent).table(
        Table::new("Child")
            .column(Column::new("Parent", Type::Integer))
            .column(Column::new("order", Type::Uuid).not_null())
            .foreign_key(
                ForeignKey::new(["Parent"], "we\"ird \u{e9}t\u{e9}", ["select"])
                    .name("fk `tick`")
                    .on_update(FkAction::SetDefault)
                    .on_delete(FkAction::NoAction)
                    .deferrable(Deferrable::InitiallyImmediate),
            )
            .unique(["order"])
            .index(
                Index::on_columns(["order"])
                    .name("ix_order")
                    .predicate("\"order\" <> 'WHERE x'"),
            ),
    )
}

db_test!(a_model_reads_back_as_its_normalised_self, [sqlite], |db| {
    let cases = [
        ("every_type", sqlite_ddl::every_type()),
        ("columns", sqlite_ddl::columns()),
        (
            "constraints_and_indexes",
            sqlite_ddl::constraints_and_indexes(),
        ),
        ("seed", models::seed()),
        ("cycle", models::cycle()),
        ("hostile", hostile()),
    ];
    for (what, md) in &cases {
        db.execute_all(&Sqlite.create_all(md)?).await?;
        let read = introspect(&db).await?;
        assert_same_schema(&normalise_model_for_sqlite(md), &read, what);
        // Normalising what was read changes nothing: it is already SQLite's form.
        assert_same_schema(&normalise_model_for_sqlite(&read), &read, what);
        // So autogenerate against the database created from the model finds nothing.
        let found = diff(
            &read,
            &normalise_model_for_sqlite(md),
            &DiffOptions::default(),
        );
        assert!(found.is_empty(), "{what}: {:#?}", found.log);
        db.execute_all(&Sqlite.drop_all(md)?).await?;
    }
    Ok(())
});

db_test!(
    the_normalised_model_spells_out_the_lossiness,
    [sqlite],
    |db| {
        let md = sqlite_ddl::every_type();
        db.execute_all(&Sqlite.create_all(&md)?).await?;
        let read = introspect(&db).await?;
        let t = &read.tables()[0];
        let ty = |name: &str| t.get_column(name).map(|c| c.ty.clone());
        assert_eq!(ty("c_uuid"), Some(Type::Char(Some(36))));
        assert_eq!(ty("c_json"), Some(Type::Text));
        // An enum is stored as a VARCHAR with a check named after it, and read back as it.
        assert_eq!(ty("c_mood"), Some(Type::enumeration("mood")));
        assert_eq!(ty("c_custom"), Some(Type::Custom("DATETIME".into())));
        assert!(t.checks.is_empty(), "{:?}", t.checks);
        assert_eq!(
            read.enums(),
            [retort_core::EnumType::new(
                "mood",
                ["happy", "it's complicated"]
            )]
        );
        // Without the normalisation the same comparison reports the lossiness as changes.
        let raw = diff(&read, &md, &DiffOptions::default());
        assert!(
            raw.log.iter().any(|l| l.contains("c_uuid")),
            "{:#?}",
            raw.log
        );

        let md = sqlite_ddl::columns();
        db.execute_all(&Sqlite.create_all(&md)?).await?;
        let read = introspect(&db).await?;
        let defaults = read
            .get_table(None, "defaults")
            .ok_or("no defaults table")?;
        let default = |name: &str| {
            defaults
                .get_column(name)
                .and_then(|c| c.server_default.clone())
        };
        assert_eq!(
            default("created_at"),
            Some(ServerDefault::expr("CURRENT_TIMESTAMP"))
        );
        assert_eq!(default("qty"), Some(ServerDefault::int(-7)));
        assert_eq!(default("active"), Some(ServerDefault::bool(true)));
        assert_eq!(
            default("price"),
            Some(ServerDefault::Literal(Literal::Number("9.99".into())))
        );
        assert_eq!(default("note"), Some(ServerDefault::Literal(Literal::Null)));
        assert_eq!(
            default("code"),
            Some(ServerDefault::expr("lower(hex(randomblob(4)))"))
        );
        assert_eq!(
            defaults
                .get_column("id")
                .and_then(|c| c.identity.as_deref().cloned()),
            Some(Identity::always())
        );
        // A BIGINT identity by default is SQLite's INTEGER rowid, always.
        let named = read
            .get_table(None, "named_pk")
            .ok_or("no named_pk table")?;
        assert_eq!(
            named.columns[0],
            Column::new("id", Type::Integer).identity(Identity::always())
        );
        assert_eq!(
            named.primary_key,
            Some(PrimaryKey::new(["id"]).name("named_pk_pkey"))
        );
        let computed = read
            .get_table(None, "computed")
            .ok_or("no computed table")?;
        assert_eq!(
            computed.columns[2].computed,
            Some(Computed::stored("w * h"))
        );
        assert_eq!(
            computed.columns[3].computed,
            Some(Computed::virtual_("w / 2.0"))
        );
        Ok(())
    }
);

db_test!(hand_written_schemas_read_back_as_written, [sqlite], |db| {
    db.execute(
        r#"CREATE TABLE "parent ""p""" ( -- comment, with ( a paren
               id INTEGER PRIMARY KEY,            /* a rowid alias, not an identity */
               code TEXT COLLATE NOCASE UNIQUE NOT NULL ON CONFLICT ABORT,
               kind VARCHAR(5) DEFAULT ('a') CHECK (kind IN ('a', 'b)')),
               t DATETIME DEFAULT CURRENT_TIMESTAMP
           );
           CREATE TABLE child (
               pid INTEGER CONSTRAINT "child->parent" REFERENCES "parent ""p""" ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
               code TEXT REFERENCES "Parent ""P""" (CODE),
               n NUMERIC(8) NOT NULL DEFAULT 0,
               CONSTRAINT pair UNIQUE (pid, n)
           );
           CREATE INDEX "ix child" ON child (n DESC, code COLLATE NOCASE) WHERE n > 0 -- trailing
           ;
           CREATE TABLE retort_version (version_num VARCHAR(255) NOT NULL PRIMARY KEY);
           CREATE TABLE retort_log (id INTEGER PRIMARY KEY AUTOINCREMENT);
           CREATE TABLE "_retort_tmp_child" (x);
           CREATE VIRTUAL TABLE rt USING rtree(id, x0, x1);"#,
    )
    .await?;
    let read = introspect(&db).await?;
    let names: Vec<&str> = read.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["child", "parent \"p\""]);

    let parent = &read.tables()[1];
    assert_eq!(
        parent.columns,
        [
            Column::new("id", Type::Integer),
            // The collation is read from the CREATE TABLE text, not dropped.
            Column::new("code", Type::Text)
                .not_null()
                .collation("NOCASE"),
            Column::new("kind", Type::Varchar(Some(5))).server_default(ServerDefault::text("a")),
            Column::new("t", Type::Custom("DATETIME".into()))
                .server_default(ServerDefault::expr("CURRENT_TIMESTAMP")),
        ]
    );
    assert_eq!(parent.primary_key, Some(PrimaryKey::new(["id"])));
    assert_eq!(parent.uniques, [Unique::new(["code"])]);
    assert_eq!(parent.checks, [Check::new("kind IN ('a', 'b)')")]);
    assert!(parent.indexes.is_empty(), "{:?}", parent.indexes);

    let child = &read.tables()[0];
    assert_eq!(
        child.foreign_keys,
        [
            ForeignKey::new(["pid"], "parent \"p\"", ["id"])
                .name("child->parent")
                .on_delete(FkAction::Cascade)
                .deferrable(Deferrable::InitiallyDeferred),
            ForeignKey::new(["code"], "parent \"p\"", ["code"]),
        ]
    );
    assert_eq!(child.uniques, [Unique::new(["pid", "n"]).name("pair")]);
    assert_eq!(
        child.get_column("n"),
        Some(
            &Column::new(
                "n",
                Type::Numeric {
                    precision: Some(8),
                    scale: None
                }
            )
            .not_null()
            .server_default(ServerDefault::int(0))
        )
    );
    assert_eq!(
        child.indexes,
        [Index::on(vec![
            IndexElement::column("n").desc(),
            // Read as the index says it (a column's own collation would read the same).
            IndexElement::column("code").collate("NOCASE")
        ])
        .name("ix child")
        .predicate("n > 0")]
    );
    Ok(())
});

db_test!(exclusions_work_as_a_parameter_and_inline, [sqlite], |db| {
    db.execute("CREATE TABLE keep (a INTEGER); CREATE TABLE \"skip 'me'\" (a INTEGER, FOREIGN KEY (a) REFERENCES keep (a)); CREATE INDEX ix_skip ON \"skip 'me'\" (a);").await?;
    let options = SqliteIntrospectOptions::default().exclude_tables(["skip 'me'"]);
    let rows = fetch(&db, &options).await?;
    for q in SqliteCatalogQuery::ALL {
        assert!(
            rows.rows(q).iter().all(|r| r[0].as_deref() == Some("keep")),
            "{}",
            q.file_name()
        );
    }
    let md = build_sqlite_metadata(&rows, &options)?;
    assert_eq!(md.tables().len(), 1);
    // The same, with the list written into the text and no parameter.
    let sql = SqliteCatalogQuery::Columns.sql_with_excluded(&["skip 'me'"]);
    let inline: Vec<String> = sqlx::query_scalar::<_, String>(&sql)
        .fetch_all(db.sqlite_pool())
        .await?;
    assert_eq!(inline, ["keep"]);
    Ok(())
});

db_test!(three_queries_read_two_hundred_tables, [sqlite], |db| {
    let mut md = MetaData::new();
    for i in 0..200 {
        let mut t = Table::new(format!("t{i:03}"))
            .column(Column::new("id", Type::Integer).identity(Identity::always()))
            .column(
                Column::new("name", Type::Varchar(Some(40)))
                    .not_null()
                    .server_default(ServerDefault::text("x")),
            )
            .column(Column::new("prev_id", Type::Integer))
            .primary_key(["id"])
            .unique(["name"])
            .index(Index::on_columns(["name", "prev_id"]).name(format!("ix_t{i:03}")));
        if i > 0 {
            t = t.foreign_key(ForeignKey::new(
                ["prev_id"],
                format!("t{:03}", i - 1),
                ["id"],
            ));
        }
        md.add_table(t);
    }
    db.execute_all(&Sqlite.create_all(&md)?).await?;
    let rows = fetch(&db, &SqliteIntrospectOptions::default()).await?;
    assert_eq!(rows.columns.len(), 600);
    assert_eq!(rows.foreign_keys.len(), 199);
    let read = build_sqlite_metadata(&rows, &SqliteIntrospectOptions::default())?;
    assert_same_schema(&normalise_model_for_sqlite(&md), &read, "200 tables");
    let found = diff(
        &read,
        &normalise_model_for_sqlite(&md),
        &DiffOptions::default(),
    );
    assert!(found.is_empty(), "{:#?}", found.log);
    Ok(())
});

/// Runs one op as a runner must on SQLite (keys off around a rebuild of a referenced table,
/// `foreign_key_check` before commit) and returns the schema it leaves.
async fn run_op(db: &TestDb, md: &MetaData, op: &Op) -> Result<MetaData, BoxError> {
    let keys_off = Sqlite.needs_foreign_keys_off(std::slice::from_ref(op), md)?;
    let stmts = Sqlite.render_op(op, md)?;
    let mut conn = db.sqlite_pool().acquire().await?;
    if keys_off {
        sqlx::raw_sql(FOREIGN_KEYS_OFF).execute(&mut *conn).await?;
    }
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
    for s in &stmts {
        sqlx::raw_sql(s)
            .execute(&mut *conn)
            .await
            .map_err(|e| format!("{e}\n  in: {s}"))?;
    }
    let broken: Vec<String> = sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut *conn)
        .await?;
    assert!(broken.is_empty(), "{}: {broken:?}", op.describe());
    sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
    if keys_off {
        sqlx::raw_sql(FOREIGN_KEYS_ON).execute(&mut *conn).await?;
    }
    let mut after = md.clone();
    op.apply(&mut after)?;
    Ok(after)
}

db_test!(
    every_op_leaves_a_schema_that_reads_back_as_replayed,
    [sqlite],
    |db| {
        // Rebuilds rename `_retort_tmp_*` tables into place (SQLite rewrites the stored text)
        // and ADD COLUMN appends to it: after every op the database still reads back as the
        // schema the op replays to.
        let mut md = sqlite_ddl::shop();
        db.execute_all(&Sqlite.create_all(&md)?).await?;
        for op in sqlite_ddl::every_op() {
            md = run_op(&db, &md, &op).await?;
            let read = introspect(&db).await?;
            let what = op.describe();
            assert_same_schema(&normalise_model_for_sqlite(&md), &read, &what);
            let found = diff(
                &read,
                &normalise_model_for_sqlite(&md),
                &DiffOptions::default(),
            );
            assert!(found.is_empty(), "{what}: {:#?}", found.log);
        }
        Ok(())
    }
);

// An index element's collation is the one its CREATE INDEX text names: a column declared
// COLLATE NOCASE passes NOCASE to its indexes (pragma_index_xinfo reports it), but the element
// itself says none, as the model that made it did.
db_test!(index_collations_are_the_elements_own, [sqlite], |db| {
    db.execute(
        "CREATE TABLE people (email TEXT COLLATE NOCASE, name TEXT);
         CREATE INDEX ix_inherited ON people (email);
         CREATE INDEX ix_explicit ON people (name COLLATE nocase DESC, email COLLATE \"BINARY\");",
    )
    .await?;
    let md = introspect(&db).await?;
    let t = md.get_table(None, "people").expect("people");
    let elements = |name: &str| {
        t.indexes
            .iter()
            .find(|i| i.name.as_deref() == Some(name))
            .map(|i| i.elements.clone())
    };
    assert_eq!(
        elements("ix_inherited"),
        Some(vec![IndexElement::column("email")])
    );
    assert_eq!(
        elements("ix_explicit"),
        Some(vec![
            IndexElement::column("name").collate("nocase").desc(),
            IndexElement::column("email"),
        ])
    );
    Ok(())
});

// `MATCH FULL`: SQLite parses it and checks every key as MATCH SIMPLE, and its
// `PRAGMA foreign_key_list` says `NONE` whatever was written; the `CREATE TABLE` text it
// keeps says it, so the read takes it from there (and leaves `MATCH SIMPLE` unset).
db_test!(a_match_full_key_reads_back_from_the_text, [sqlite], |db| {
    db.execute_all(&[
        "CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b))".into(),
        "CREATE TABLE uses (a INTEGER, b INTEGER, c INTEGER, \
         CONSTRAINT uses_pair FOREIGN KEY (a, b) REFERENCES pairs (a, b) MATCH FULL ON DELETE CASCADE, \
         FOREIGN KEY (b, c) REFERENCES pairs (a, b) MATCH SIMPLE)"
            .into(),
    ])
    .await?;
    let md = introspect(&db).await?;
    let fks = &md
        .get_table(None, "uses")
        .expect("uses is read")
        .foreign_keys;
    let read: Vec<(Option<&str>, Option<retort_core::FkMatch>)> = fks
        .iter()
        .map(|f| (f.name.as_deref(), f.match_type))
        .collect();
    assert_eq!(
        read,
        [
            (Some("uses_pair"), Some(retort_core::FkMatch::Full)),
            (None, None)
        ]
    );
    assert_eq!(fks[0].on_delete, Some(FkAction::Cascade));
    Ok(())
});

// `MATCH FULL` written by the dialect: SQLite parses `MATCH name` and ignores it, but keeps
// the clause in the `CREATE TABLE` text it stores, which the read takes it from. So a model
// read from such a database (or one that says `match = "full"`) creates on SQLite, reads
// back the same, and a rebuild (copying the table into a new `CREATE TABLE`) keeps it.
db_test!(
    a_match_full_key_is_written_and_kept_by_a_rebuild,
    [sqlite],
    |db| {
        use retort_core::ops::Operations;
        use retort_core::FkMatch;
        let mut md = MetaData::new()
            .table(
                Table::new("pairs")
                    .column(Column::new("a", Type::Integer).not_null())
                    .column(Column::new("b", Type::Integer).not_null())
                    .primary_key(["a", "b"]),
            )
            .table(
                Table::new("uses")
                    .column(Column::new("id", Type::Integer).not_null())
                    .column(Column::new("a", Type::Integer))
                    .column(Column::new("b", Type::Integer))
                    .column(Column::new("note", Type::Text).not_null())
                    .column(Column::new("old", Type::Text))
                    .primary_key(["id"])
                    .index(Index::on_columns(["old"]).name("ix_uses_old"))
                    .foreign_key(
                        ForeignKey::new(["a", "b"], "pairs", ["a", "b"])
                            .name("uses_pair")
                            .on_delete(FkAction::Cascade)
                            .match_type(FkMatch::Full),
                    ),
            );
        db.execute_all(&Sqlite.create_all(&md)?).await?;
        db.execute_all(&[
            "INSERT INTO pairs VALUES (1, 2)".into(),
            "INSERT INTO uses VALUES (1, 1, 2, 'n', 'o'), (2, NULL, NULL, 'm', NULL)".into(),
        ])
        .await?;
        let full = |read: &MetaData| {
            read.get_table(None, "uses")
                .expect("uses is read")
                .foreign_keys
                .iter()
                .map(|f| (f.name.clone(), f.match_type))
                .collect::<Vec<_>>()
        };
        let read = introspect(&db).await?;
        assert_eq!(
            full(&read),
            [(Some("uses_pair".to_owned()), Some(FkMatch::Full))]
        );
        let found = diff(
            &read,
            &normalise_model_for_sqlite(&md),
            &DiffOptions::default(),
        );
        assert!(found.is_empty(), "{:#?}", found.log);

        // Two rebuilds: a column made nullable, and one dropped with its index.
        let mut ops = Operations::new();
        ops.alter_column("uses", "note").nullable(true);
        ops.drop_column("uses", "old");
        for op in ops.into_ops() {
            let stmts = Sqlite.render_op(&op, &md)?;
            assert!(
                stmts.iter().any(|s| s.contains("_retort_tmp")),
                "{} is a rebuild: {stmts:#?}",
                op.describe()
            );
            md = run_op(&db, &md, &op).await?;
            let read = introspect(&db).await?;
            assert_eq!(
                full(&read),
                [(Some("uses_pair".to_owned()), Some(FkMatch::Full))],
                "after {}",
                op.describe()
            );
            let found = diff(
                &read,
                &normalise_model_for_sqlite(&md),
                &DiffOptions::default(),
            );
            assert!(
                found.is_empty(),
                "after {}: {:#?}",
                op.describe(),
                found.log
            );
        }
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM uses")
            .fetch_one(db.sqlite_pool())
            .await?;
        assert_eq!(n, 2, "the rows survive the rebuilds");
        Ok(())
    }
);

//! Unit tests of the CREATE-text parser and of rows -> MetaData, with hand-written rows.

use retort_core::{
    Check, Column, Computed, Deferrable, FkAction, ForeignKey, Identity, Index, IndexElement,
    Literal, PrimaryKey, ServerDefault, Type, Unique,
};

use super::schema_sql::{
    parse_create_index, parse_create_table, CheckSql, ForeignKeySql, NamedColumns,
};
use super::{
    build_sqlite_metadata, excluded_tables_json, IntrospectError, SqliteCatalogQuery,
    SqliteCatalogRows, SqliteIntrospectOptions,
};

fn row(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_string)).collect()
}

#[test]
fn create_table_names_checks_generated_and_autoincrement() {
    let sql = r#"CREATE TABLE "we""ird" ( -- a comment with ( and ,
        id INTEGER NOT NULL CONSTRAINT "pk, named" PRIMARY KEY AUTOINCREMENT,
        "select" VARCHAR(10) DEFAULT 'CHECK (x)' CHECK ("select" <> ')'),
        n NUMERIC(10, 2) DEFAULT (1 + 2) COLLATE NOCASE,
        area INTEGER GENERATED ALWAYS AS (id * /* c */ 2) STORED,
        half REAL AS (id / 2.0),
        parent INTEGER CONSTRAINT parent_fk REFERENCES [other t] (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
        u TEXT CONSTRAINT u_key UNIQUE ON CONFLICT REPLACE,
        CONSTRAINT "ck one" CHECK (n > 0 AND "select" IN ('a', 'b''c')),
        CHECK (area < 100),
        UNIQUE (n COLLATE NOCASE DESC, `select`),
        CONSTRAINT fk2 FOREIGN KEY (n, u) REFERENCES other (a, b) ON UPDATE CASCADE,
        FOREIGN KEY (half) REFERENCES other NOT DEFERRABLE INITIALLY DEFERRED
    ) STRICT"#;
    let t = parse_create_table(sql).unwrap();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "select", "n", "area", "half", "parent", "u"]);
    assert_eq!(t.pk_name.as_deref(), Some("pk, named"));
    assert!(t.columns[0].autoincrement);
    assert!(!t.columns[5].autoincrement);
    assert_eq!(t.columns[3].generated.as_deref(), Some("id * /* c */ 2"));
    assert_eq!(t.columns[4].generated.as_deref(), Some("id / 2.0"));
    assert_eq!(t.columns[1].generated, None);
    assert_eq!(
        t.checks,
        [
            CheckSql {
                name: None,
                expr: "\"select\" <> ')'".into()
            },
            CheckSql {
                name: Some("ck one".into()),
                expr: "n > 0 AND \"select\" IN ('a', 'b''c')".into()
            },
            CheckSql {
                name: None,
                expr: "area < 100".into()
            },
        ]
    );
    assert_eq!(
        t.uniques,
        [
            NamedColumns {
                name: Some("u_key".into()),
                columns: vec!["u".into()]
            },
            NamedColumns {
                name: None,
                columns: vec!["n".into(), "select".into()]
            },
        ]
    );
    assert_eq!(
        t.foreign_keys,
        [
            ForeignKeySql {
                name: Some("parent_fk".into()),
                columns: vec!["parent".into()],
                ref_table: "other t".into(),
                deferrable: Some(Deferrable::InitiallyDeferred),
                match_type: None,
            },
            ForeignKeySql {
                name: Some("fk2".into()),
                columns: vec!["n".into(), "u".into()],
                ref_table: "other".into(),
                deferrable: None,
                match_type: None,
            },
            ForeignKeySql {
                name: None,
                columns: vec!["half".into()],
                ref_table: "other".into(),
                deferrable: None,
                match_type: None,
            },
        ]
    );
}

#[test]
fn create_table_pk_on_the_table_and_odd_texts() {
    let t = parse_create_table(
        "CREATE TABLE IF NOT EXISTS main.t (a INT, b INT, CONSTRAINT t_pk PRIMARY KEY (a, b))",
    )
    .unwrap();
    assert_eq!(t.pk_name.as_deref(), Some("t_pk"));
    let t = parse_create_table("CREATE TABLE t (a INT PRIMARY KEY, b)").unwrap();
    assert_eq!(t.pk_name, None);
    assert_eq!(t.columns.len(), 2);
    // A table made from a query has no definitions to read.
    let t = parse_create_table("CREATE TABLE t AS SELECT (1) AS a").unwrap();
    assert!(t.columns.is_empty());
    assert!(parse_create_table("CREATE TABLE t (a TEXT DEFAULT 'unterminated)").is_err());
    // DEFERRABLE alone is initially immediate.
    let t = parse_create_table("CREATE TABLE t (a REFERENCES p DEFERRABLE)").unwrap();
    assert_eq!(
        t.foreign_keys[0].deferrable,
        Some(Deferrable::InitiallyImmediate)
    );
}

#[test]
fn create_index_expressions_order_and_predicate() {
    let ix = parse_create_index(
        r#"CREATE UNIQUE INDEX "ix ""q""" ON "t" ((lower(email)), age DESC, "a b" COLLATE NOCASE ASC, a + b) WHERE "deleted" IS NOT 1 AND note <> 'WHERE'"#,
    )
    .unwrap();
    assert_eq!(
        ix.elements,
        [
            Some("lower(email)".to_string()),
            None,
            None,
            Some("a + b".to_string())
        ]
    );
    assert_eq!(
        ix.predicate.as_deref(),
        Some(r#""deleted" IS NOT 1 AND note <> 'WHERE'"#)
    );
    let ix = parse_create_index("CREATE INDEX ix ON t (a)").unwrap();
    assert_eq!(ix.predicate, None);
    assert_eq!(ix.elements, [None]);
}

/// The rows SQLite gives for this schema (checked against a real database in
/// tests/it/sqlite_introspect.rs), written out by hand:
///
/// ```sql
/// CREATE TABLE accounts (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL,
///     created TIMESTAMP DEFAULT (CURRENT_TIMESTAMP), n INTEGER GENERATED ALWAYS AS (id * 2),
///     CONSTRAINT accounts_email_key UNIQUE (email), CHECK (email <> ''));
/// CREATE TABLE orders (account_id INTEGER, seq SMALLINT DEFAULT -1, PRIMARY KEY (seq, account_id),
///     CONSTRAINT orders_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE);
/// CREATE INDEX ix_lower ON accounts ((lower(email)) DESC) WHERE email IS NOT NULL;
/// ```
fn hand_rows() -> SqliteCatalogRows {
    let accounts = "CREATE TABLE accounts (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \
        email TEXT NOT NULL, created TIMESTAMP DEFAULT (CURRENT_TIMESTAMP), \
        n INTEGER GENERATED ALWAYS AS (id * 2), \
        CONSTRAINT accounts_email_key UNIQUE (email), CHECK (email <> ''))";
    let orders = "CREATE TABLE orders (account_id INTEGER, seq SMALLINT DEFAULT -1, \
        PRIMARY KEY (seq, account_id), CONSTRAINT orders_fk FOREIGN KEY (account_id) \
        REFERENCES accounts (id) ON DELETE CASCADE)";
    let ix = "CREATE INDEX ix_lower ON accounts ((lower(email)) DESC) WHERE email IS NOT NULL";
    let col = |t: &str,
               sql: &str,
               cid: &str,
               name: &str,
               ty: &str,
               nn: &str,
               d: Option<&str>,
               pk: &str,
               hidden: &str| {
        row(&[
            Some(t),
            Some(sql),
            Some(cid),
            Some(name),
            Some(ty),
            Some(nn),
            d,
            Some(pk),
            Some(hidden),
        ])
    };
    SqliteCatalogRows {
        // Out of order on purpose: build orders tables and columns itself.
        columns: vec![
            col(
                "orders",
                orders,
                "1",
                "seq",
                "SMALLINT",
                "0",
                Some("-1"),
                "1",
                "0",
            ),
            col(
                "accounts", accounts, "3", "n", "INTEGER", "0", None, "0", "2",
            ),
            col(
                "accounts", accounts, "0", "id", "INTEGER", "1", None, "1", "0",
            ),
            col(
                "accounts", accounts, "1", "email", "TEXT", "1", None, "0", "0",
            ),
            col(
                "accounts",
                accounts,
                "2",
                "created",
                "TIMESTAMP",
                "0",
                Some("CURRENT_TIMESTAMP"),
                "0",
                "0",
            ),
            col(
                "orders",
                orders,
                "0",
                "account_id",
                "INTEGER",
                "0",
                None,
                "2",
                "0",
            ),
            col(
                "retort_version",
                "CREATE TABLE retort_version (v TEXT)",
                "0",
                "v",
                "TEXT",
                "0",
                None,
                "0",
                "0",
            ),
        ],
        foreign_keys: vec![row(&[
            Some("orders"),
            Some("0"),
            Some("0"),
            Some("accounts"),
            Some("account_id"),
            Some("id"),
            Some("NO ACTION"),
            Some("CASCADE"),
        ])],
        indexes: vec![
            row(&[
                Some("accounts"),
                Some("ix_lower"),
                Some("0"),
                Some("c"),
                Some("1"),
                Some("0"),
                Some("-2"),
                None,
                Some("1"),
                Some(ix),
                Some("BINARY"),
            ]),
            row(&[
                Some("accounts"),
                Some("sqlite_autoindex_accounts_1"),
                Some("1"),
                Some("u"),
                Some("0"),
                Some("0"),
                Some("1"),
                Some("email"),
                Some("0"),
                None,
                Some("BINARY"),
            ]),
            row(&[
                Some("orders"),
                Some("sqlite_autoindex_orders_1"),
                Some("1"),
                Some("pk"),
                Some("0"),
                Some("0"),
                Some("1"),
                Some("seq"),
                Some("0"),
                None,
                Some("BINARY"),
            ]),
            row(&[
                Some("orders"),
                Some("sqlite_autoindex_orders_1"),
                Some("1"),
                Some("pk"),
                Some("0"),
                Some("1"),
                Some("0"),
                Some("account_id"),
                Some("0"),
                None,
                Some("BINARY"),
            ]),
        ],
    }
}

#[test]
fn rows_build_the_model() {
    let md = build_sqlite_metadata(&hand_rows(), &SqliteIntrospectOptions::default()).unwrap();
    let names: Vec<&str> = md.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["accounts", "orders"], "retort_version is excluded");

    let accounts = &md.tables()[0];
    assert_eq!(
        accounts.columns,
        [
            Column::new("id", Type::Integer).identity(Identity::always()),
            Column::new("email", Type::Text).not_null(),
            Column::new("created", Type::Timestamp { tz: false })
                .server_default(ServerDefault::expr("CURRENT_TIMESTAMP")),
            Column::new("n", Type::Integer).computed(Computed::virtual_("id * 2")),
        ]
    );
    assert_eq!(accounts.primary_key, Some(PrimaryKey::new(["id"])));
    assert_eq!(
        accounts.uniques,
        [Unique::new(["email"]).name("accounts_email_key")]
    );
    assert_eq!(accounts.checks, [Check::new("email <> ''")]);
    assert_eq!(
        accounts.indexes,
        [Index::on(vec![IndexElement::expr("lower(email)").desc()])
            .name("ix_lower")
            .predicate("email IS NOT NULL")]
    );

    let orders = &md.tables()[1];
    assert_eq!(
        orders.columns,
        [
            Column::new("account_id", Type::Integer),
            Column::new("seq", Type::SmallInt)
                .server_default(ServerDefault::Literal(Literal::Int(-1))),
        ]
    );
    // Primary key columns in key order, not column order; no identity without AUTOINCREMENT.
    assert_eq!(
        orders.primary_key,
        Some(PrimaryKey::new(["seq", "account_id"]))
    );
    assert_eq!(
        orders.foreign_keys,
        [ForeignKey::new(["account_id"], "accounts", ["id"])
            .name("orders_fk")
            .on_delete(FkAction::Cascade)]
    );
}

#[test]
fn rows_of_unknown_tables_and_bad_values_are_errors() {
    let mut rows = hand_rows();
    rows.foreign_keys[0][0] = Some("ghost".into());
    let err = build_sqlite_metadata(&rows, &SqliteIntrospectOptions::default()).unwrap_err();
    assert!(
        matches!(err, IntrospectError::UnknownTable { ref table, .. } if table == "ghost"),
        "{err}"
    );

    let mut rows = hand_rows();
    rows.columns[0][5] = Some("yes".into());
    let err = build_sqlite_metadata(&rows, &SqliteIntrospectOptions::default()).unwrap_err();
    assert!(err.to_string().contains("orders.seq"), "{err}");

    let mut rows = hand_rows();
    rows.indexes[0].pop();
    let err = build_sqlite_metadata(&rows, &SqliteIntrospectOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            IntrospectError::RowWidth {
                expected: 11,
                found: 10,
                ..
            }
        ),
        "{err}"
    );

    // A generated column whose expression the text does not give is not guessed.
    let mut rows = hand_rows();
    for r in &mut rows.columns {
        if r[0].as_deref() == Some("accounts") {
            r[1] = Some("CREATE TABLE accounts (id INTEGER, email TEXT, created, n)".into());
        }
    }
    let err = build_sqlite_metadata(&rows, &SqliteIntrospectOptions::default()).unwrap_err();
    assert!(err.to_string().contains("generated column `n`"), "{err}");
}

#[test]
fn queries_take_the_exclusions_as_their_only_parameter() {
    for q in SqliteCatalogQuery::ALL {
        let code = |sql: &str| -> String {
            sql.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(code(q.sql()).matches("?1").count(), 1, "{}", q.file_name());
        let inline = q.sql_with_excluded(&["retort_version", "o'k"]);
        assert!(!code(&inline).contains('?'), "{inline}");
        assert!(
            inline.contains("NOT IN ('retort_version', 'o''k')"),
            "{inline}"
        );
        // The legend documents every column: the largest number + 1 is the width.
        let width = crate::catalog_row::legend_width(q.sql()).unwrap();
        assert_eq!(width, q.width(), "{}", q.file_name());
    }
    assert_eq!(
        excluded_tables_json(&["a\"b", "c\\d", "e\nf"]),
        r#"["a\"b","c\\d","e\u000af"]"#
    );
}

#[test]
fn excluded_tables_include_sqlite_and_rebuild_tables() {
    let o = SqliteIntrospectOptions::default();
    for name in [
        "sqlite_sequence",
        "sqlite_stat1",
        "_retort_tmp_orders",
        "retort_log",
    ] {
        assert!(o.is_excluded(name), "{name}");
    }
    for name in ["orders", "sqlite", "retort_tmp_orders"] {
        assert!(!o.is_excluded(name), "{name}");
    }
}

#[test]
fn comments_and_every_quoting_between_tokens() {
    let sql = "CREATE TABLE [my table] (\n\
        `a``b` /* type next */ TEXT -- trailing, (\n\
          CONSTRAINT /* name next */ [c) 1] CHECK (/* ( */ `a``b` <> ']'),\n\
        \"primary\" INTEGER CONSTRAINT 'str name' REFERENCES \"t\"\"x\" -- comment\n\
          (\"id\") MATCH FULL,\n\
        CONSTRAINT k UNIQUE (\"primary\" /* c */, [a`b])\n\
    )";
    let t = parse_create_table(sql).unwrap();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a`b", "primary"]);
    assert_eq!(
        t.checks,
        [CheckSql {
            name: Some("c) 1".into()),
            // Comments before the first token and after the last are not part of it.
            expr: "`a``b` <> ']'".into()
        }]
    );
    assert_eq!(t.foreign_keys[0].name.as_deref(), Some("str name"));
    assert_eq!(t.foreign_keys[0].ref_table, "t\"x");
    assert_eq!(t.foreign_keys[0].columns, ["primary"]);
    assert_eq!(
        t.uniques,
        [NamedColumns {
            name: Some("k".into()),
            columns: vec!["primary".into(), "a`b".into()]
        }]
    );
}

#[test]
fn normalising_a_model_applies_every_documented_lossiness() {
    use super::normalise_model_for_sqlite;
    use retort_core::{EnumType, MetaData, SortOrder, Table};

    let md = MetaData::new()
        .enum_type(EnumType::new("mood", ["ok", "it's bad"]))
        .enum_type(EnumType::new("unused", ["x"]))
        .table(
            Table::new("z_last")
                .comment("gone")
                .column(Column::new("id", Type::BigInt).identity(Identity::by_default()))
                .column(Column::new("u", Type::Uuid).comment("gone too"))
                .column(Column::new("j", Type::Json))
                .column(Column::new("m", Type::enumeration("mood")).not_null())
                .column(
                    Column::new("at", Type::Timestamp { tz: true })
                        .server_default(ServerDefault::expr("now()")),
                )
                .column(Column::new("n", Type::Integer).server_default(ServerDefault::expr("(0)")))
                .column(Column::new("c", Type::custom("integer")))
                .primary_key(["id"])
                .foreign_key(
                    ForeignKey::new(["n"], "a_first", ["id"]).on_delete(FkAction::NoAction),
                )
                .index(Index::on(vec![IndexElement::column("n").asc()]).name("ix_b"))
                .index(Index::on(vec![IndexElement::expr("((n + 1))")]).name("ix_a")),
        )
        .table(Table::new("a_first").column(Column::new("id", Type::Integer)));
    let out = normalise_model_for_sqlite(&md);
    // The enum as introspection reads its stored form back; the unused one is stored nowhere.
    assert_eq!(out.enums(), [EnumType::new("mood", ["ok", "it's bad"])]);
    let names: Vec<&str> = out.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a_first", "z_last"]);
    let t = &out.tables()[1];
    assert_eq!(t.comment, None);
    assert_eq!(
        t.columns,
        [
            Column::new("id", Type::Integer).identity(Identity::always()),
            Column::new("u", Type::Char(Some(36))),
            Column::new("j", Type::Text),
            Column::new("m", Type::enumeration("mood")).not_null(),
            Column::new("at", Type::Timestamp { tz: true })
                .server_default(ServerDefault::expr("CURRENT_TIMESTAMP")),
            Column::new("n", Type::Integer).server_default(ServerDefault::int(0)),
            Column::new("c", Type::Integer),
        ]
    );
    assert!(t.checks.is_empty());
    assert_eq!(t.foreign_keys[0].on_delete, None);
    assert_eq!(t.indexes[0].name.as_deref(), Some("ix_a"));
    assert_eq!(t.indexes[0].elements, [IndexElement::expr("n + 1")]);
    assert_eq!(t.indexes[1].elements[0].order, None::<SortOrder>);
    // Normalising twice changes nothing more.
    assert_eq!(normalise_model_for_sqlite(&out), out);
}

#[test]
fn a_models_sequences_stay_in_its_sqlite_view_and_are_refused_by_name() {
    use crate::{Dialect, Sqlite};
    let seq = retort_core::Sequence::new("order_no_seq");
    let md = retort_core::MetaData::new().with_sequence(seq.clone());
    let view = super::normalise_model_for_sqlite(&md);
    assert_eq!(view.sequences(), std::slice::from_ref(&seq));
    let diff = retort_core::diff::diff(&retort_core::MetaData::new(), &view, &Default::default());
    let err = Sqlite
        .render_ops(&diff.ops, &retort_core::MetaData::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("order_no_seq"), "{err}");
}

//! Live autogenerate on PostgreSQL has no false positives for expressions PostgreSQL
//! rewrites when it stores them (casts, `IN` as `= ANY (ARRAY[..])`, constants in its own
//! format, `DEFAULT NULL` as no default), and still finds every real change: a model created
//! with `create_all` compares clean; each expression changed in turn is one change, whose
//! ops applied leave `check` clean, and whose reverse brings the database back.

use retort_core::diff::Diff;
use retort_core::ops::{apply_all, reverse_all, Op};
use retort_core::schema::{
    Check, Column, Computed, Identity, Index, IndexElement, Literal, MetaData, ServerDefault,
    Table, Type,
};
use retort_dialect::{Dialect, Postgres};
use retort_migrate::autogenerate::{compare, database_schema, AutogenerateSettings, Source};
use retort_migrate::driver::Driver;
use retort_migrate::{AnyDriver, Tables};
use retort_testkit::{db_test, BoxError};

use crate::fixtures::driver;

fn col(name: &str, ty: Type, default: Option<ServerDefault>) -> Column {
    let mut c = Column::new(name, ty);
    c.server_default = default;
    c
}

fn expr(sql: &str) -> Option<ServerDefault> {
    Some(ServerDefault::expr(sql))
}
fn lit(l: Literal) -> Option<ServerDefault> {
    Some(ServerDefault::Literal(l))
}

/// Every kind of expression PostgreSQL re-spells, on one table.
fn model() -> MetaData {
    let tz = Type::Timestamp { tz: true };
    let mut t = Table::new("products")
        .column(Column::new("id", Type::Integer).identity(Identity::always()))
        .column(Column::new("name", Type::Varchar(Some(100))).not_null())
        .column(Column::new("email", Type::Varchar(Some(200))))
        .column(Column::new("status", Type::Varchar(Some(20))))
        .column(Column::new("price", Type::Double))
        .column(Column::new("deleted_at", tz.clone()))
        .column(col("created_a", tz.clone(), expr("now()")))
        .column(col("created_b", tz, expr("CURRENT_TIMESTAMP")))
        .column(col("quoted", Type::Text, lit(Literal::Text("it's".into()))))
        .column(col(
            "backslash",
            Type::Varchar(Some(40)),
            lit(Literal::Text(r"C:\temp\n".into())),
        ))
        .column(col(
            "cafe",
            Type::Text,
            lit(Literal::Text("café ☕".into())),
        ))
        .column(col("qty", Type::Integer, lit(Literal::Int(0))))
        .column(col("active", Type::Boolean, lit(Literal::Bool(true))))
        .column(col("note", Type::Text, lit(Literal::Null)))
        .column(col("ttl", Type::Interval, expr("interval '1 hour'")))
        .column(col("meta", Type::Jsonb, expr("'{}'::jsonb")))
        .column(col("uid", Type::Uuid, expr("gen_random_uuid()")))
        .primary_key(["id"]);
    let mut lname = Column::new("lname", Type::Varchar(Some(100)));
    lname.computed = Some(Computed::stored("lower(name)"));
    t.columns.push(lname);
    let mut flag = Column::new("flag", Type::Text);
    flag.computed = Some(Computed::stored(
        "CASE WHEN status IN ('a','b') THEN name END",
    ));
    t.columns.push(flag);
    // The evolution suite's pending case 49: `||` is left-associative, stored parenthesised.
    let mut full = Column::new("full_name", Type::Text);
    full.computed = Some(Computed::stored("quoted || ' ' || cafe"));
    t.columns.push(full);
    t.columns
        .push(col("tags", Type::array(Type::Text), expr("ARRAY['a','b']")));
    t.checks.push(Check {
        conv: false,
        name: None,
        expr: "price > 0".into(),
    });
    t.checks.push(Check {
        conv: false,
        name: None,
        expr: "status IN ('a','b')".into(),
    });
    t.indexes.push(Index {
        elements: vec![IndexElement::expr("lower(email)")],
        predicate: Some("deleted_at IS NULL".into()),
        ..Index::on_columns(Vec::<String>::new())
    });
    t.indexes.push(Index {
        predicate: Some("status IN ('a','b')".into()),
        ..Index::on_columns(["status"])
    });
    MetaData::new().table(t)
}

fn table(md: &mut MetaData) -> &mut Table {
    md.get_table_mut(None, "products")
        .expect("the products table")
}

fn set_default(column: &'static str, d: Option<ServerDefault>) -> impl Fn(&mut MetaData) {
    move |md| {
        let c = table(md)
            .columns
            .iter_mut()
            .find(|c| c.name == column)
            .expect("the column");
        c.server_default = d.clone();
    }
}

async fn diff_live(d: &mut AnyDriver, model: &MetaData) -> Result<(Diff, MetaData), BoxError> {
    let settings = AutogenerateSettings::default();
    let current = database_schema(d, &Tables::default(), model, &settings).await?;
    assert!(current.warnings.is_empty(), "{:?}", current.warnings);
    let diff = compare(
        &current,
        model,
        &settings.diff_options(None),
        Source::Database(d.backend()),
    );
    Ok((diff, current.metadata))
}

async fn run(d: &mut AnyDriver, ops: &[Op], schema: &MetaData) -> Result<(), BoxError> {
    for sql in Postgres.render_ops(ops, schema)? {
        d.execute(&sql).await.map_err(|e| format!("{sql}: {e}"))?;
    }
    Ok(())
}

db_test!(
    expressions_postgresql_respells_are_no_change_and_real_changes_are_one,
    [postgres],
    |db| {
        let base = model();
        db.execute_all(&Postgres.create_all(&base)?).await?;
        let mut d = driver(&db).await;

        let (diff, _) = diff_live(&mut d, &base).await?;
        assert!(
            diff.is_empty(),
            "a database created from the model differs: {:#?}",
            diff.log
        );

        // A model that copies PostgreSQL's own text is no change either, although that
        // text, run again, is stored differently (`'a'::character varying::text`).
        let (_, stored) = diff_live(&mut d, &base).await?;
        let mut copied = base.clone();
        let stored_table = stored.get_table(None, "products").expect("products");
        table(&mut copied).checks = stored_table.checks.clone();
        table(&mut copied).indexes[1].predicate = stored_table
            .indexes
            .iter()
            .find(|i| i.predicate.as_deref().is_some_and(|p| p.contains("ANY")))
            .and_then(|i| i.predicate.clone());
        assert!(table(&mut copied).indexes[1].predicate.is_some());
        let (diff, _) = diff_live(&mut d, &copied).await?;
        assert!(
            diff.is_empty(),
            "PostgreSQL's text in the model: {:#?}",
            diff.log
        );

        type Change = (&'static str, Box<dyn Fn(&mut MetaData)>, usize);
        let changes: Vec<Change> = vec![
            // now() and CURRENT_TIMESTAMP are different expressions, stored as written.
            (
                "now()",
                Box::new(set_default("created_a", expr("CURRENT_TIMESTAMP"))),
                1,
            ),
            (
                "CURRENT_TIMESTAMP",
                Box::new(set_default("created_b", expr("now()"))),
                1,
            ),
            (
                "quote",
                Box::new(set_default("quoted", lit(Literal::Text("it''s".into())))),
                1,
            ),
            (
                "backslash",
                Box::new(set_default(
                    "backslash",
                    lit(Literal::Text(r"C:\tmp\n".into())),
                )),
                1,
            ),
            (
                "non-ASCII",
                Box::new(set_default("cafe", lit(Literal::Text("café ☕☕".into())))),
                1,
            ),
            ("0", Box::new(set_default("qty", lit(Literal::Int(1)))), 1),
            (
                "true",
                Box::new(set_default("active", lit(Literal::Bool(false)))),
                1,
            ),
            (
                "NULL",
                Box::new(set_default("note", lit(Literal::Text("n/a".into())))),
                1,
            ),
            (
                "interval",
                Box::new(set_default("ttl", expr("interval '2 hours'"))),
                1,
            ),
            (
                "jsonb",
                Box::new(set_default("meta", expr("'[]'::jsonb"))),
                1,
            ),
            ("uuid", Box::new(set_default("uid", None)), 1),
            (
                "check >",
                Box::new(|md: &mut MetaData| table(md).checks[0].expr = "price >= 0".into()),
                2,
            ),
            (
                "check IN",
                Box::new(|md: &mut MetaData| {
                    table(md).checks[1].expr = "status IN ('a','b','c')".into()
                }),
                2,
            ),
            (
                "generated",
                Box::new(|md: &mut MetaData| {
                    let c = table(md).columns.iter_mut().find(|c| c.name == "lname");
                    c.expect("lname").computed = Some(Computed::stored("upper(name)"));
                }),
                1,
            ),
            (
                "index expression",
                Box::new(|md: &mut MetaData| {
                    table(md).indexes[0].elements = vec![IndexElement::expr("upper(email)")]
                }),
                2,
            ),
            (
                "generated IN",
                Box::new(|md: &mut MetaData| {
                    let c = table(md).columns.iter_mut().find(|c| c.name == "flag");
                    c.expect("flag").computed = Some(Computed::stored(
                        "CASE WHEN status IN ('a','c') THEN name END",
                    ));
                }),
                1,
            ),
            (
                "array",
                Box::new(set_default("tags", expr("ARRAY['c']"))),
                1,
            ),
            (
                "index IN predicate",
                Box::new(|md: &mut MetaData| {
                    table(md).indexes[1].predicate = Some("status IN ('a','b','c')".into())
                }),
                2,
            ),
            (
                "index predicate",
                Box::new(|md: &mut MetaData| {
                    table(md).indexes[0].predicate = Some("deleted_at IS NOT NULL".into())
                }),
                2,
            ),
        ];

        for (what, change, op_count) in changes {
            let mut changed = base.clone();
            change(&mut changed);
            let (diff, before) = diff_live(&mut d, &changed).await?;
            assert_eq!(diff.ops.len(), op_count, "{what}: {:#?}", diff.ops);
            // One object changed: every log line names it.
            let first = diff.log.first().cloned().unwrap_or_default();
            assert!(!first.is_empty(), "{what}: nothing found");
            if op_count == 1 {
                assert_eq!(diff.log.len(), 1, "{what}: {:?}", diff.log);
            }

            run(&mut d, &diff.ops, &before).await?;
            let (after, _) = diff_live(&mut d, &changed).await?;
            assert!(
                after.is_empty(),
                "{what}: check after applying: {:#?}",
                after.log
            );

            // The exact reverse, rendered against the upgrade replayed (as the runner does),
            // brings the database back to the base model.
            let mut upgraded = before.clone();
            apply_all(&diff.ops, &mut upgraded)?;
            run(&mut d, &reverse_all(&diff.ops)?, &upgraded).await?;
            let (back, _) = diff_live(&mut d, &base).await?;
            assert!(
                back.is_empty(),
                "{what}: after the reverse: {:#?}",
                back.log
            );
        }
        Ok(())
    }
);

db_test!(
    nothing_to_canonicalise_asks_nothing_and_a_new_table_is_not_asked_about,
    [postgres],
    |db| {
        let base = model();
        db.execute_all(&Postgres.create_all(&base)?).await?;
        let mut d = driver(&db).await;
        let settings = AutogenerateSettings::default();
        let current = database_schema(&mut d, &Tables::default(), &base, &settings).await?;
        // The rewritten expressions were asked about; and nothing is left behind in pg_temp.
        assert!(!current.canonical.is_empty());
        let left = db
            .query_strings(
                "SELECT relname::text FROM pg_class WHERE relname LIKE 'retort_canonical%'",
            )
            .await?;
        assert!(left.is_empty(), "{left:?}");
        // A model whose expressions the database spells alike needs no substitution.
        let plain = MetaData::new().table(
            Table::new("products")
                .column(Column::new("id", Type::Integer).identity(Identity::always()))
                .primary_key(["id"]),
        );
        let current = database_schema(&mut d, &Tables::default(), &plain, &settings).await?;
        assert!(current.canonical.is_empty());
        Ok(())
    }
);

/// Enum and domain columns in another schema, a named check, and a new column whose type the
/// database does not have yet (its scratch column is skipped, the rest still spelled).
fn shop(with_tier: bool) -> MetaData {
    use retort_core::schema::EnumType;
    let mut t = Table::new("items")
        .schema("shop")
        .column(Column::new("id", Type::Integer).identity(Identity::by_default()))
        .column(col(
            "mood",
            Type::enumeration("mood"),
            lit(Literal::Text("ok".into())),
        ))
        .column(col(
            "qty",
            Type::Custom("posint".into()),
            lit(Literal::Int(1)),
        ))
        .column(Column::new("label", Type::Varchar(Some(30))))
        .primary_key(["id"]);
    t.checks.push(Check {
        conv: false,
        name: Some("items_mood_ck".into()),
        expr: "mood IN ('ok', 'meh') AND qty < 100".into(),
    });
    t.checks.push(Check {
        conv: false,
        name: None,
        expr: "label <> ''".into(),
    });
    let mut md = MetaData::new().enum_type(EnumType::new("mood", ["ok", "meh", "bad"]));
    if with_tier {
        md = md.enum_type(EnumType::new("tier", ["gold", "silver"]));
        let mut tier = Column::new("tier", Type::enumeration("tier"));
        tier.server_default = lit(Literal::Text("silver".into()));
        t.columns.push(tier);
        t.checks.push(Check {
            conv: false,
            name: Some("items_tier_ck".into()),
            expr: "tier <> 'gold' OR qty > 1".into(),
        });
    }
    md.table(t)
}

db_test!(
    enums_domains_schemas_and_types_the_database_lacks,
    [postgres],
    |db| {
        db.execute("CREATE SCHEMA shop").await?;
        db.execute("CREATE DOMAIN posint AS integer CHECK (VALUE > 0)")
            .await?;
        let base = shop(false);
        db.execute_all(&Postgres.create_all(&base)?).await?;
        let mut d = driver(&db).await;
        let (diff, _) = diff_live(&mut d, &base).await?;
        assert!(diff.is_empty(), "{:#?}", diff.log);
        // Text alone would not have seen it: both checks needed the server's spelling
        // (`(label)::text <> ''::text`, `mood = ANY (ARRAY['ok'::mood, ..])`).
        let settings = AutogenerateSettings::default();
        let current = database_schema(&mut d, &Tables::default(), &base, &settings).await?;
        assert_eq!(current.canonical.len(), 2);

        // A new enum type and a column of it: exactly those, and the new check; the existing
        // checks, spelled with the other columns, are no change.
        let grown = shop(true);
        let (diff, before) = diff_live(&mut d, &grown).await?;
        assert_eq!(
            diff.log,
            [
                "Detected added enum type 'tier' ('gold', 'silver')",
                "Detected added column 'shop.items.tier'",
                "Detected added check constraint 'items_tier_ck' on 'shop.items'",
            ],
            "{:#?}",
            diff.ops
        );
        run(&mut d, &diff.ops, &before).await?;
        let (after, _) = diff_live(&mut d, &grown).await?;
        assert!(after.is_empty(), "{:#?}", after.log);

        // The named check changed: found under its name.
        let mut changed = grown.clone();
        changed
            .get_table_mut(Some("shop"), "items")
            .expect("items")
            .checks[0]
            .expr = "mood IN ('ok') AND qty < 100".into();
        let (diff, _) = diff_live(&mut d, &changed).await?;
        assert_eq!(diff.ops.len(), 2, "{:#?}", diff.log);
        assert!(
            diff.log.iter().all(|l| l.contains("items_mood_ck")),
            "{:#?}",
            diff.log
        );
        Ok(())
    }
);

db_test!(
    a_server_that_cannot_be_asked_is_a_warning_not_an_error,
    [postgres],
    |db| {
        let base = model();
        db.execute_all(&Postgres.create_all(&base)?).await?;
        let mut d = driver(&db).await;
        // As on a read-only standby: no scratch table can be made.
        d.execute("SET default_transaction_read_only = on").await?;
        let settings = AutogenerateSettings::default();
        let current = database_schema(&mut d, &Tables::default(), &base, &settings).await?;
        assert!(current.canonical.is_empty());
        assert_eq!(current.warnings.len(), 1, "{:?}", current.warnings);
        assert!(
            current.warnings[0].contains("compared as text"),
            "{:?}",
            current.warnings
        );
        // The comparison still runs, as text.
        let diff = compare(
            &current,
            &base,
            &settings.diff_options(None),
            Source::Database(d.backend()),
        );
        assert!(diff.warnings.iter().any(|w| w.contains("compared as text")));
        Ok(())
    }
);

// Issue 11 item 5: text literals on boolean and number columns (`'true'`, `'0'`), as a model
// ported from SQLAlchemy often writes them, are stored as `true` and `'0'::bigint`. Live
// `check` is clean, and without asking the server anything: the text comparison sees they are
// the same (with 10,000 tables, the server's scratch tables ran out of shared memory).
db_test!(
    text_literal_defaults_on_booleans_and_numbers_are_no_change_without_the_server,
    [postgres],
    |db| {
        let t = |name: &str| {
            Table::new(name)
                .column(col(
                    "flag",
                    Type::Boolean,
                    lit(Literal::Text("true".into())),
                ))
                .column(col("off", Type::Boolean, lit(Literal::Text("f".into()))))
                .column(col("n", Type::BigInt, lit(Literal::Text("0".into()))))
                .column(col("m", Type::Integer, expr("'-7'")))
                .column(col(
                    "price",
                    Type::numeric(10, 2),
                    lit(Literal::Text("1.50".into())),
                ))
        };
        let model = MetaData::new().table(t("a")).table(t("b"));
        db.execute_all(&Postgres.create_all(&model)?).await?;
        let mut d = driver(&db).await;
        let settings = AutogenerateSettings::default();
        let current = database_schema(&mut d, &Tables::default(), &model, &settings).await?;
        assert!(
            current.canonical.is_empty(),
            "the server was asked to spell {} default(s)",
            current.canonical.len()
        );
        let (diff, _) = diff_live(&mut d, &model).await?;
        assert!(diff.is_empty(), "false differences: {:#?}", diff.log);
        // A real change is still one.
        let mut changed = model.clone();
        changed.get_table_mut(None, "a").expect("a").columns[0].server_default =
            lit(Literal::Text("false".into()));
        let (diff, _) = diff_live(&mut d, &changed).await?;
        assert_eq!(diff.ops.len(), 1, "{:#?}", diff.log);
        Ok(())
    }
);

// An exclusion constraint's expressions and predicate are spelled by PostgreSQL as the
// index behind it is (`lower(code)` on a varchar is stored `lower((code)::text)`, `status
// IN (..)` as `= ANY (ARRAY[..])`): a database created from the model compares clean, and
// a real change of its predicate is still one change.
db_test!(
    exclusion_constraint_expressions_are_spelled_by_the_server,
    [postgres],
    |db| {
        use retort_core::{Exclude, ExcludeElement};
        let model = |predicate: &str| {
            MetaData::new().table(
                Table::new("codes")
                    .column(Column::new("id", Type::Integer).not_null())
                    .column(Column::new("code", Type::Varchar(Some(20))).not_null())
                    .column(Column::new("status", Type::Varchar(Some(20))).not_null())
                    .primary_key(["id"])
                    .exclude(
                        Exclude::new(
                            "one_live_code",
                            vec![ExcludeElement::expr("lower(code)", "=")],
                        )
                        .using("btree")
                        .predicate(predicate),
                    ),
            )
        };
        let base = model("status IN ('live','held')");
        db.execute_all(&Postgres.create_all(&base)?).await?;
        let mut d = driver(&db).await;
        let (diff, stored) = diff_live(&mut d, &base).await?;
        // The server's text differs from the model's, so only the server could tell.
        let x = &stored.get_table(None, "codes").expect("codes").excludes[0];
        assert_ne!(x.predicate.as_deref(), Some("status IN ('live','held')"));
        assert!(diff.is_empty(), "created from the model: {:#?}", diff.log);

        let changed = model("status IN ('live')");
        let (diff, _) = diff_live(&mut d, &changed).await?;
        assert_eq!(
            diff.log,
            ["Detected changed exclusion constraint 'one_live_code' on 'codes'"]
        );
        Ok(())
    }
);

db_test!(
    a_check_respelled_by_a_rebuild_is_no_change_without_the_server,
    [postgres],
    |db| {
        // SQLAlchemy's `IN (..)` on a varchar column (MLflow's `lifecycle_stage`, a
        // non-native Enum): stored as `= ANY ((ARRAY['a'::character varying, ..])::text[])`.
        db.execute(
            "CREATE TABLE runs (status VARCHAR(20), \
             CONSTRAINT runs_status CHECK (status IN ('RUNNING', 'FAILED')))",
        )
        .await?;
        let mut d = driver(&db).await;
        let settings = AutogenerateSettings::default();
        let empty = MetaData::new();
        let current = database_schema(&mut d, &Tables::default(), &empty, &settings).await?;
        let reflected = current.metadata.clone();
        let first = reflected.get_table(None, "runs").expect("runs").checks[0]
            .expr
            .clone();

        // Dropped and re-created from the reflected text, as a downgrade does: PostgreSQL
        // stores that text differently (the array's cast pushed down to its elements).
        let drop = compare(
            &current,
            &empty,
            &settings.diff_options(None),
            Source::Database(d.backend()),
        );
        run(&mut d, &drop.ops, &reflected).await?;
        let mut dropped = reflected.clone();
        apply_all(&drop.ops, &mut dropped)?;
        run(&mut d, &reverse_all(&drop.ops)?, &dropped).await?;
        let rebuilt = database_schema(&mut d, &Tables::default(), &reflected, &settings).await?;
        let again = rebuilt
            .metadata
            .get_table(None, "runs")
            .expect("runs")
            .checks[0]
            .expr
            .clone();
        assert_ne!(first, again, "PostgreSQL kept the text: nothing to test");

        // The same check, as text alone: no scratch table asked for, no change.
        assert!(
            rebuilt.canonical.is_empty(),
            "the server was asked to spell {} expression(s): {first} vs {again}",
            rebuilt.canonical.len()
        );
        let (diff, _) = diff_live(&mut d, &reflected).await?;
        assert!(diff.is_empty(), "false differences: {:#?}", diff.log);
        // Another value list is still a change.
        let mut changed = reflected.clone();
        changed.get_table_mut(None, "runs").expect("runs").checks[0].expr =
            "status IN ('RUNNING', 'KILLED')".into();
        let (diff, _) = diff_live(&mut d, &changed).await?;
        assert!(!diff.is_empty(), "another value list compared equal");
        Ok(())
    }
);

/// Issue 11 item 14: what a drop records as the old definition is in words every backend
/// runs, where PostgreSQL says that is the same expression, and as PostgreSQL printed it
/// where dropping its cast would change the meaning (the server prints the candidate
/// otherwise, or refuses it). The downgrade re-creates what was there: `check` against the
/// model with those definitions is clean after it.
fn ledger(with_rules: bool) -> MetaData {
    let mut t = Table::new("ledger")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("qty", Type::Integer))
        .column(Column::new("price", Type::numeric(10, 2)))
        .column(Column::new("status", Type::Text))
        .primary_key(["id"]);
    if with_rules {
        t = t
            .check(Some("ck_price"), "price > 0")
            // 2.5::integer is 3: without the cast, `qty < 2.5` compares as numeric.
            .check(Some("ck_round"), "qty < 2.5::integer")
            // Without the cast, text = integer has no operator.
            .check(Some("ck_text"), "status <> 1::text")
            .index(
                Index::on_columns(["qty"])
                    .name("ix_ledger_open")
                    .predicate("status = 'open'"),
            );
    }
    MetaData::new().table(t)
}

db_test!(
    dropped_expressions_lose_only_the_casts_that_change_nothing,
    [postgres],
    |db| {
        let before = ledger(true);
        db.execute_all(&Postgres.create_all(&before)?).await?;
        let mut d = driver(&db).await;
        let after = ledger(false);
        let (diff, schema) = diff_live(&mut d, &after).await?;
        let mut checks = Vec::new();
        let mut predicate = None;
        for op in &diff.ops {
            match op {
                Op::DropConstraint {
                    name,
                    existing: Some(retort_core::ops::Constraint::Check(c)),
                    ..
                } => checks.push((name.clone(), c.expr.clone())),
                Op::DropIndex {
                    existing: Some(i), ..
                } => predicate = i.predicate.clone(),
                _ => {}
            }
        }
        checks.sort();
        assert_eq!(
            checks,
            [
                ("ck_price".to_string(), "price > 0".to_string()),
                ("ck_round".to_string(), "qty < 2.5::integer".to_string()),
                ("ck_text".to_string(), "status <> 1::text".to_string()),
            ],
            "{:#?}",
            diff.ops
        );
        assert_eq!(predicate.as_deref(), Some("status = 'open'"));

        run(&mut d, &diff.ops, &schema).await?;
        let mut upgraded = schema.clone();
        apply_all(&diff.ops, &mut upgraded)?;
        run(&mut d, &reverse_all(&diff.ops)?, &upgraded).await?;
        let (back, _) = diff_live(&mut d, &before).await?;
        assert!(back.is_empty(), "after the downgrade: {:#?}", back.log);
        Ok(())
    }
);

/// `IN` lists PostgreSQL stored as `= ANY (ARRAY[..])` (`<> ALL` for `NOT IN`, with the
/// column and the array cast to text on a `varchar`): a drop records them as `IN` lists,
/// which SQLite parses too, and the downgrade re-creates what was there.
fn lists(with_rules: bool) -> MetaData {
    let mut t = Table::new("tickets")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("state", Type::Text))
        .column(Column::new("code", Type::Varchar(Some(10))))
        .column(Column::new("level", Type::Integer))
        .primary_key(["id"]);
    if with_rules {
        t = t
            .check(Some("ck_state"), "state IN ('open', 'shut')")
            .check(Some("ck_code"), "code NOT IN ('x', 'y')")
            .check(Some("ck_level"), "level IN (1, 2, 3)")
            .index(
                Index::on_columns(["id"])
                    .name("ix_tickets_code")
                    .predicate("code IN ('a', 'b')"),
            );
    }
    MetaData::new().table(t)
}

db_test!(
    dropped_in_lists_are_recorded_as_in_lists,
    [postgres],
    |db| {
        let before = lists(true);
        db.execute_all(&Postgres.create_all(&before)?).await?;
        let mut d = driver(&db).await;
        let (diff, schema) = diff_live(&mut d, &lists(false)).await?;
        let mut recorded = Vec::new();
        for op in &diff.ops {
            match op {
                Op::DropConstraint {
                    name,
                    existing: Some(retort_core::ops::Constraint::Check(c)),
                    ..
                } => recorded.push((name.clone(), c.expr.clone())),
                Op::DropIndex {
                    name,
                    existing: Some(i),
                    ..
                } => recorded.push((name.clone(), i.predicate.clone().unwrap_or_default())),
                _ => {}
            }
        }
        recorded.sort();
        let expected = [
            ("ck_code", "code NOT IN ('x', 'y')"),
            ("ck_level", "level IN (1, 2, 3)"),
            ("ck_state", "state IN ('open', 'shut')"),
            ("ix_tickets_code", "code IN ('a', 'b')"),
        ]
        .map(|(n, e)| (n.to_string(), e.to_string()));
        assert_eq!(recorded, expected, "{:#?}", diff.ops);

        run(&mut d, &diff.ops, &schema).await?;
        let mut upgraded = schema.clone();
        apply_all(&diff.ops, &mut upgraded)?;
        run(&mut d, &reverse_all(&diff.ops)?, &upgraded).await?;
        let (back, _) = diff_live(&mut d, &before).await?;
        assert!(back.is_empty(), "after the downgrade: {:#?}", back.log);
        Ok(())
    }
);

// Issue 16 item 3: the server spells the model's expressions in scratch tables, and one
// transaction creating all of them can run out of the lock table of a default server
// (`max_locks_per_transaction` 64: measured, about 2,500 scratch tables with an index in one
// transaction); they are now made in batches of a quarter of the lock table. 300 tables whose
// default and expression index PostgreSQL re-spells (`interval '1 hour'` is
// `'01:00:00'::interval`, `lower(name)` on a varchar is `lower((name)::text)`) take two
// batches on a default server: they compare clean, and a real change in the last batch is
// still one.
db_test!(
    respelled_expressions_in_several_batches_compare_clean,
    [postgres],
    |db| {
        const N: usize = 300;
        let table = |i: usize, span: &str| {
            Table::new(format!("r{i}"))
                .column(Column::new("name", Type::Varchar(Some(40))))
                .column(col("span", Type::Interval, expr(span)))
                .index(
                    Index::on(vec![IndexElement::expr("lower(name)")]).name(format!("r{i}_lower")),
                )
        };
        let mut model = MetaData::new();
        for i in 0..N {
            model.add_table(table(i, "interval '1 hour'"));
        }
        db.execute_all(&Postgres.create_all(&model)?).await?;
        let mut d = driver(&db).await;
        let (diff, _) = diff_live(&mut d, &model).await?;
        assert!(
            diff.is_empty(),
            "{} false differences, the first: {:?}",
            diff.log.len(),
            diff.log.first()
        );
        let mut changed = model.clone();
        changed.tables_mut()[N - 1] = table(N - 1, "interval '2 hours'");
        let (diff, _) = diff_live(&mut d, &changed).await?;
        assert_eq!(
            diff.ops.len(),
            1,
            "{:#?}",
            diff.log.iter().take(5).collect::<Vec<_>>()
        );
        Ok(())
    }
);

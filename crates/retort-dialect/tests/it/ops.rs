//! Migration operations as SQL: every op kind rendered by every dialect in one snapshot
//! (`every_op_kind_up_and_down`), the corner cases of `ALTER COLUMN` asserted one by one,
//! and the same sequence run on a real PostgreSQL, up and back down, checked against the
//! catalog: up must dump exactly as `create_all` of the replayed schema, down exactly as
//! the start.
//!
//! One sequence ([`upgrade`]) on one starting schema ([`base`]) covers every op kind that
//! can be undone; its downgrade is derived ([`reverse_all_from`]), so the reverses are
//! tested too. The ops that cannot be undone as recorded (`add_enum_value` without its old values, `bulk_insert`) are in
//! [`irreversible`], run between the two directions.

use retort_core::ops::{reverse_all_from, AlterColumn, ConstraintKind, Op, Operations, SwapStep};
use retort_core::{
    Column, Computed, EnumRef, EnumType, ForeignKey, Identity, Index, Literal, MetaData,
    NamingConvention, PrimaryKey, ServerDefault, Table, Type, Unique,
};
use retort_dialect::{Dialect, DialectError, Postgres};
use retort_testkit::{assert_same_text, db_test, normalize_pg_dump, BoxError, TestDb};

/// The standard defaults alone, to show what a dialect inherits (and where it must
/// override: every `-- error` line in its section of the snapshot).
struct Ansi;
impl Dialect for Ansi {
    fn name(&self) -> &'static str {
        "ANSI defaults"
    }
}

fn dialects() -> Vec<Box<dyn Dialect>> {
    vec![Box::new(Postgres), Box::new(Ansi)]
}

/// The schema the sequence starts from (plus a schema `old_ns`, which the model cannot say).
fn base() -> MetaData {
    let mut tags = Table::new("tags")
        .column(Column::new("id", Type::Integer).not_null())
        .column(Column::new("label", Type::Text))
        .comment("tag list");
    tags.primary_key = Some(PrimaryKey {
        with: Vec::new(),
        conv: false,
        name: None,
        columns: vec!["id".into()],
    });
    MetaData::new()
        .naming_convention(NamingConvention::recommended())
        .enum_type(EnumType::new("legacy_kind", ["a", "b"]))
        .with_sequence(retort_core::Sequence::new("old_seq").increment(2))
        .table(
            Table::new("customers")
                .column(
                    Column::new("id", Type::Integer)
                        .identity(Identity::always())
                        .not_null(),
                )
                .column(Column::new("email", Type::Varchar(Some(100))).not_null())
                .column(Column::new("nickname", Type::Text).not_null())
                .column(
                    Column::new("code", Type::Varchar(Some(10)))
                        .server_default(ServerDefault::text("0")),
                )
                .column(
                    Column::new("status", Type::Varchar(Some(20)))
                        .server_default(ServerDefault::text("new")),
                )
                .column(Column::new("prefs", Type::Text))
                .column(Column::new("seq_no", Type::Integer).not_null())
                // Last, so that dropping it and adding it back leaves the order as it was.
                .column(Column::new("legacy", Type::Text))
                .primary_key(["id"])
                .check(Some("email_not_empty"), "email <> ''")
                .index(Index::on_columns(["status"]).name("ix_old"))
                .index(Index::on_columns(["code"]).name("ix_old2")),
        )
        .table(tags)
        .table(
            Table::new("metrics")
                .column(
                    Column::new("id", Type::Integer)
                        .identity(Identity::by_default())
                        .not_null(),
                )
                .column(Column::new("a", Type::Integer))
                // Last: a new expression drops and re-adds it.
                .column(Column::new("doubled", Type::Integer).computed(Computed::stored("a * 2"))),
        )
        .table(
            Table::new("old_log")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("msg", Type::Text))
                .index(Index::on_columns(["msg"]).name("ix_old_log_msg")),
        )
        .with_entity(retort_core::View::new("old_view", "SELECT 1 AS n"))
        .with_entity(retort_core::View::new("old_report", "SELECT 1 AS n"))
}

/// Every reversible op kind, as a revision would record it.
fn upgrade() -> Vec<Op> {
    let mut op = Operations::new();
    op.create_schema("audit");
    op.execute("CREATE SEQUENCE audit.ticket_seq;")
        .reverse_sql("DROP SEQUENCE audit.ticket_seq");
    op.create_sequence(retort_core::Sequence::new("order_no_seq").start(1000));
    op.alter_sequence(
        retort_core::Sequence::new("order_no_seq")
            .start(1000)
            .increment(5),
    )
    .existing(retort_core::Sequence::new("order_no_seq").start(1000));
    op.drop_sequence("old_seq")
        .existing(retort_core::Sequence::new("old_seq").increment(2));
    op.create_enum("mood", ["happy", "sad"]);
    op.recreate_enum("mood", ["sad", "happy"])
        .existing(["happy", "sad"]);
    op.create_table("orders", |t| {
        t.column("id", Type::Integer)
            .identity(Identity::always())
            .not_null();
        t.column("customer_id", Type::Integer).not_null();
        t.column("mood", Type::Enum(EnumRef::new("mood")));
        t.column("note", Type::Text).comment("free text");
        t.primary_key(["id"]);
        t.foreign_key(["customer_id"], "customers", ["id"])
            .on_delete(retort_core::FkAction::Cascade);
        t.index("ix_orders_customer", ["customer_id"]);
        t.comment("orders table");
    });
    // Storage parameters and inheritance (PostgreSQL's; refused by name elsewhere).
    op.create_table("notes", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("body", Type::Text);
        t.primary_key(["id"]).with("fillfactor", "100");
        t.index("ix_notes_body", ["body"]).with("fillfactor", "90");
        t.with("fillfactor", "70");
    });
    // Columns only the parent gives are not written; `archived` is the child's own.
    op.create_table("old_notes", |t| {
        t.column("id", Type::Integer).not_null().inherited();
        t.column("body", Type::Text).inherited();
        t.column("archived", Type::Boolean);
        t.inherits("notes");
    });
    op.create_table("loose_notes", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("body", Type::Text);
    });
    op.inherit("loose_notes", "notes");
    op.set_table_storage("notes", ["fillfactor=80", "autovacuum_enabled=false"])
        .existing(["fillfactor=70"]);
    op.set_index_storage("notes", "ix_notes_body", Vec::<String>::new())
        .existing(["fillfactor=90"]);
    op.set_index_storage("notes", "pk_notes", ["fillfactor=95"])
        .existing(["fillfactor=100"]);
    op.create_table("events", |t| {
        t.column("id", Type::BigInt).not_null();
        t.column("payload", Type::Jsonb);
        t.primary_key(["id"]);
    })
    .schema("audit");
    // A type change by add-copy-swap (PostgreSQL; the column is last, so the swap, which
    // moves it to the end, leaves the order as `create_all` makes it).
    for step in [SwapStep::Start, SwapStep::Backfill, SwapStep::Finish] {
        op.swap_column_type("orders", "note", Type::Varchar(Some(200)), step)
            .existing_type(Type::Text)
            .batch_size(2);
    }
    op.add_column(
        "customers",
        Column::new("age", Type::SmallInt).comment("years"),
    );
    op.alter_column("customers", "nickname")
        .nullable(true)
        .comment("shown name")
        .new_column_name("alias");
    op.alter_column("customers", "code").type_(Type::Integer);
    op.alter_column("customers", "code").drop_server_default();
    op.alter_column("customers", "prefs").type_(Type::Jsonb);
    op.alter_column("customers", "status")
        .server_default(ServerDefault::text("active"));
    op.alter_column("customers", "seq_no")
        .identity(Identity::by_default());
    op.alter_column("customers", "id")
        .identity(Identity::by_default().start(100).increment(5));
    op.alter_column("metrics", "id").drop_identity();
    op.alter_column("metrics", "doubled")
        .computed(Computed::stored("a * 3"));
    op.alter_column("metrics", "doubled").drop_computed();
    op.drop_column("customers", "legacy");
    op.rename_table("tags", "labels");
    op.create_index("ix_customers_email", "customers", ["email"]);
    op.create_index("ix_orders_mood", "orders", ["mood"])
        .concurrently();
    op.drop_index("ix_old", "customers");
    op.drop_index("ix_old2", "customers").concurrently();
    op.create_unique_constraint("uq_customers_email", "customers", ["email"]);
    op.create_foreign_key("fk_metrics_a", "metrics", "customers", ["a"], ["id"]);
    op.create_check_constraint("ck_metrics_a_positive", "metrics", "a > 0");
    // The online-safe forms: NOT VALID on PostgreSQL, then a VALIDATE that the others skip.
    op.create_check_constraint("ck_metrics_a_small", "metrics", "a < 1000000")
        .not_valid();
    op.validate_constraint("ck_metrics_a_small", "metrics", ConstraintKind::Check);
    // btree takes `=` with no extension (gist would need btree_gist for an integer).
    op.create_exclude_constraint(
        "ex_metrics_a",
        "metrics",
        vec![retort_core::ExcludeElement::column("a", "=")],
    )
    .using("btree");
    op.create_primary_key("pk_metrics", "metrics", ["id"]);
    // The convention made the given `email_not_empty` into this (`%(constraint_name)s`).
    op.drop_constraint(
        "ck_customers_email_not_empty",
        "customers",
        ConstraintKind::Check,
    );
    op.create_table_comment("customers", "people who order");
    op.drop_table_comment("labels");
    // The child's columns are its own (declared in its CREATE TABLE): they stay.
    op.no_inherit("loose_notes", "notes");
    op.drop_enum("legacy_kind");
    op.drop_table("old_log");
    op.drop_schema("old_ns");
    op.create_entity(retort_core::View::new(
        "customer_emails",
        "SELECT id, email FROM customers;",
    ));
    op.create_entity(retort_core::Function::new(
        "add_one",
        "a int DEFAULT 0",
        "RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$",
    ));
    op.create_entity(retort_core::Function::new(
        "keep_email",
        "",
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.email := OLD.email; RETURN NEW; END $$",
    ));
    op.create_entity(retort_core::Trigger::new(
        "customers",
        "customers_check",
        "BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION keep_email()",
    ));
    op.replace_entity(retort_core::View::new("old_view", "SELECT 1 AS n, 2 AS m"))
        .existing(retort_core::View::new("old_view", "SELECT 1 AS n"));
    op.replace_entity(retort_core::Function::new(
        "add_one",
        "a int DEFAULT 0",
        "RETURNS bigint LANGUAGE sql AS $$ SELECT a + 1 $$",
    ))
    .existing(retort_core::Function::new(
        "add_one",
        "a int DEFAULT 0",
        "RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$",
    ));
    op.drop_entity(retort_core::View::new("old_report", "SELECT 1 AS n"));
    op.into_ops()
}

/// The ops that cannot be undone, run on the upgraded schema.
fn irreversible() -> Vec<Op> {
    let mut op = Operations::new();
    op.add_enum_value("mood", "meh").after("happy");
    // What a SQLite rebuild offline would copy; no SQL of its own, and no reverse (a
    // downgrade declares the table as it is before its own rebuilds).
    let labels = replayed(base(), &upgrade())
        .tables()
        .iter()
        .find(|t| t.name == "labels")
        .cloned()
        .expect("upgrade() renames tags to labels");
    op.copy_from(labels);
    op.bulk_insert(
        "events",
        ["id", "payload"],
        vec![
            vec![Literal::Int(1), Literal::Text(r#"{"a": "it's"}"#.into())],
            vec![Literal::Int(2), Literal::Null],
        ],
    )
    .schema("audit");
    op.into_ops()
}

fn downgrade() -> Vec<Op> {
    reverse_all_from(&base(), &upgrade()).expect("every op of upgrade() is reversible")
}

/// `md` after `ops`.
fn replayed(mut md: MetaData, ops: &[Op]) -> MetaData {
    for op in ops {
        op.apply(&mut md)
            .unwrap_or_else(|e| panic!("the test sequence must replay: {e}"));
    }
    md
}

/// Each op (as a call) and its statements, rendered against the schema before it.
fn rendered(d: &dyn Dialect, ops: &[Op], mut md: MetaData) -> String {
    let mut out = String::new();
    for op in ops {
        out.push_str(&format!("-- {}\n", op.describe()));
        match d.render_op(op, &md) {
            Ok(stmts) if stmts.is_empty() => out.push_str("-- (nothing)\n"),
            Ok(stmts) => {
                for s in stmts {
                    out.push_str(&format!("{s};\n"));
                }
            }
            Err(e) => out.push_str(&format!("-- error: {e}\n")),
        }
        if d.op_needs_autocommit(op) {
            out.push_str("-- (outside a transaction)\n");
        }
        op.apply(&mut md)
            .unwrap_or_else(|e| panic!("the test sequence must replay: {e}"));
    }
    out
}

#[test]
fn every_op_kind_up_and_down() {
    let up_md = replayed(base(), &upgrade());
    let mut out = String::new();
    for d in dialects() {
        out.push_str(&format!("======== {}\n---- upgrade\n", d.name()));
        out.push_str(&rendered(d.as_ref(), &upgrade(), base()));
        out.push_str("---- irreversible\n");
        out.push_str(&rendered(d.as_ref(), &irreversible(), up_md.clone()));
        out.push_str("---- downgrade\n");
        out.push_str(&rendered(d.as_ref(), &downgrade(), up_md.clone()));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn render_ops_tracks_the_schema_and_rejects_an_op_that_does_not_fit() {
    let ops = upgrade();
    let all = Postgres.render_ops(&ops, &base()).expect("renders");
    let mut md = base();
    let mut one_by_one = Vec::new();
    for op in &ops {
        one_by_one.extend(Postgres.render_op(op, &md).expect("renders"));
        op.apply(&mut md).expect("applies");
    }
    assert_eq!(all, one_by_one);

    let bad = [Op::DropColumn {
        schema: None,
        table: "customers".into(),
        column: "no_such_column".into(),
        existing: None,
        data_loss_ok: false,
    }];
    let err = Postgres.render_ops(&bad, &base()).unwrap_err();
    assert!(
        matches!(&err, DialectError::Replay { index: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("no_such_column"), "{err}");
}

#[test]
fn only_concurrent_index_ops_validations_and_added_enum_values_need_autocommit() {
    let needing: Vec<String> = upgrade()
        .iter()
        .chain(downgrade().iter())
        .filter(|op| Postgres.op_needs_autocommit(op))
        .map(|op| op.describe())
        .collect();
    // Four index builds and drops, the validation on the way up and on the way down (run
    // after a commit, so the ADD's stronger lock is released while it scans), and the swap's
    // backfill both ways (it commits each batch).
    assert_eq!(needing.len(), 8, "{needing:?}");
    assert!(
        needing.iter().all(|d| d.contains("index")
            || d.starts_with("validate ")
            || d.contains("(backfill: ")),
        "{needing:?}"
    );
    let validate = upgrade()
        .into_iter()
        .find(|op| matches!(op, Op::ValidateConstraint { .. }))
        .expect("upgrade() validates");
    assert!(!retort_dialect::Sqlite.op_needs_autocommit(&validate));
    // A new enum value is unusable until committed ("unsafe use of new value").
    let add = &irreversible()[0];
    assert!(matches!(add, Op::AddEnumValue { .. }));
    assert!(Postgres.op_needs_autocommit(add));
    assert!(!retort_dialect::Sqlite.op_needs_autocommit(add));
}

#[test]
fn sql_declared_outside_a_transaction_needs_autocommit_on_both() {
    let mut op = Operations::new();
    op.execute("VACUUM").outside_transaction();
    op.execute("UPDATE t SET a = 1");
    op.create_index("ix", "t", ["a"]).concurrently();
    let flags = |d: &dyn Dialect| -> Vec<bool> {
        op.ops().iter().map(|o| d.op_needs_autocommit(o)).collect()
    };
    assert_eq!(flags(&Postgres), [true, false, true]);
    // SQLite cannot VACUUM in a transaction; its "concurrent" index is a plain build.
    assert_eq!(flags(&retort_dialect::Sqlite), [true, false, false]);
}

fn alter(table: &str, column: &str, f: impl FnOnce(&mut AlterColumn)) -> Op {
    let mut a = AlterColumn::new(table, column);
    f(&mut a);
    Op::AlterColumn(a)
}

fn pg(op: &Op, md: &MetaData) -> Result<Vec<String>, DialectError> {
    Postgres.render_op(op, md)
}

#[test]
fn type_changes_add_using_only_when_the_old_type_needs_a_cast() {
    let md = MetaData::new();
    let change = |old: Option<Type>, new: Type, using: Option<&str>| {
        let op = alter("t", "c", |a| {
            a.existing_type = old;
            a.type_ = Some(new);
            a.using = using.map(str::to_owned);
        });
        pg(&op, &md).expect("renders").join("; ")
    };
    let head = "ALTER TABLE t ALTER COLUMN c TYPE";
    assert_eq!(
        change(Some(Type::Varchar(Some(10))), Type::Integer, None),
        format!("{head} INTEGER USING c::INTEGER")
    );
    assert_eq!(
        change(Some(Type::Text), Type::Jsonb, None),
        format!("{head} JSONB USING c::JSONB")
    );
    assert_eq!(
        change(Some(Type::Varchar(Some(10))), Type::Varchar(Some(20)), None),
        format!("{head} VARCHAR(20)")
    );
    assert_eq!(
        change(Some(Type::Integer), Type::BigInt, None),
        format!("{head} BIGINT")
    );
    assert_eq!(
        change(Some(Type::Integer), Type::Text, None),
        format!("{head} TEXT")
    );
    assert_eq!(
        change(
            Some(Type::Enum(EnumRef::new("a"))),
            Type::Enum(EnumRef::new("b")),
            None
        ),
        format!("{head} b USING c::text::b")
    );
    // The op's own USING wins; an unknown old type gets none (nothing to decide it by).
    assert_eq!(
        change(Some(Type::Text), Type::Integer, Some("length(c)")),
        format!("{head} INTEGER USING length(c)")
    );
    assert_eq!(change(None, Type::Integer, None), format!("{head} INTEGER"));
    // ...unless the schema before the op knows it.
    let md = MetaData::new().table(Table::new("t").column(Column::new("c", Type::Text)));
    let op = alter("t", "c", |a| a.type_ = Some(Type::Integer));
    assert_eq!(
        pg(&op, &md).expect("renders"),
        [format!("{head} INTEGER USING c::INTEGER")]
    );
}

#[test]
fn removals_of_unknown_old_values_use_if_exists() {
    let md = MetaData::new();
    let op = alter("t", "c", |a| {
        a.identity = Some(None);
        a.computed = Some(None);
    });
    assert_eq!(
        pg(&op, &md).expect("renders"),
        [
            "ALTER TABLE t ALTER COLUMN c DROP EXPRESSION IF EXISTS",
            "ALTER TABLE t ALTER COLUMN c DROP IDENTITY IF EXISTS",
        ]
    );
    // Known to have neither: nothing to do.
    let op = alter("t", "c", |a| {
        a.identity = Some(None);
        a.existing_identity = Some(None);
        a.computed = Some(None);
        a.existing_computed = Some(None);
    });
    assert_eq!(pg(&op, &md).expect("renders"), Vec::<String>::new());
}

#[test]
fn a_type_change_keeps_the_default_by_dropping_and_setting_it_again() {
    let op = alter("t", "c", |a| {
        a.type_ = Some(Type::Integer);
        a.existing_type = Some(Type::Text);
        a.existing_server_default = Some(Some(ServerDefault::text("0")));
    });
    assert_eq!(
        pg(&op, &MetaData::new()).expect("renders"),
        [
            "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
            "ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING c::INTEGER",
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT '0'",
        ]
    );
}

#[test]
fn what_postgresql_cannot_do_is_an_error_with_a_hint() {
    // A drop_constraint or drop_index without a name never becomes an unnamed drop.
    let op = Op::DropConstraint {
        schema: None,
        table: "t".into(),
        name: String::new(),
        kind: ConstraintKind::Unique,
        existing: None,
    };
    let err = pg(&op, &MetaData::new()).unwrap_err();
    assert!(matches!(&err, DialectError::Unnamed { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("unique constraint dropped from `t`"),
        "{err}"
    );
    // Carrying its definition (how the diff drops what SQLite left unnamed, so a revision
    // autogenerated on SQLite runs on PostgreSQL), it is dropped by the name PostgreSQL
    // gives that definition (see `unnamed_constraints_are_dropped_by_the_name_postgresql_gives`).
    let by_content = Op::DropConstraint {
        schema: None,
        table: "t".into(),
        name: String::new(),
        kind: ConstraintKind::Check,
        existing: Some(retort_core::ops::Constraint::Check(
            retort_core::Check::new("c > 0"),
        )),
    };
    let checked = MetaData::new().table(
        Table::new("t")
            .column(Column::new("c", Type::Integer))
            .check(None, "c > 0"),
    );
    assert_eq!(
        pg(&by_content, &checked).unwrap(),
        ["ALTER TABLE t DROP CONSTRAINT t_c_check"]
    );
    // SQLite rebuilds the table from the schema the drop leaves, found by content.
    let rebuilt = retort_dialect::Sqlite
        .render_op(&by_content, &checked)
        .expect("SQLite drops an unnamed check by its definition");
    let create = rebuilt
        .iter()
        .find(|s| s.starts_with("CREATE TABLE"))
        .expect("a rebuild");
    assert!(!create.contains("CHECK"), "{rebuilt:#?}");

    let op = Op::DropIndex {
        schema: None,
        table: "t".into(),
        name: " ".into(),
        existing: None,
        concurrently: true,
    };
    assert!(matches!(
        pg(&op, &MetaData::new()),
        Err(DialectError::Unnamed { .. })
    ));

    // A new generation expression drops the column: refused while an index uses it.
    let md = MetaData::new().table(
        Table::new("t")
            .column(Column::new("a", Type::Integer))
            .column(Column::new("c", Type::Integer))
            .index(Index::on_columns(["c"]).name("t_c_ix")),
    );
    let op = alter("t", "c", |a| {
        a.computed = Some(Some(Computed::stored("a + 1")))
    });
    let err = pg(&op, &md).unwrap_err();
    assert!(matches!(&err, DialectError::Unsupported { .. }), "{err:?}");
    assert!(err.to_string().contains("t_c_ix"), "{err}");
    // ...and without knowing the column's type.
    let err = pg(&op, &MetaData::new()).unwrap_err();
    assert!(err.to_string().contains("existing_type"), "{err}");
    // Virtual generated columns do not exist in PostgreSQL 15.
    let op = alter("t", "c", |a| {
        a.existing_type = Some(Type::Integer);
        a.computed = Some(Some(Computed {
            expr: "a + 1".into(),
            stored: false,
        }));
    });
    assert!(matches!(
        pg(&op, &MetaData::new()),
        Err(DialectError::Unsupported { .. })
    ));
    // The standard defaults refuse what they cannot express rather than guess.
    let op = alter("t", "c", |a| {
        a.type_ = Some(Type::Integer);
        a.using = Some("c::integer".into());
    });
    assert!(matches!(
        Ansi.render_op(&op, &MetaData::new()),
        Err(DialectError::Unsupported { .. })
    ));
}

#[test]
fn unnamed_constraints_get_the_convention_name_that_apply_gives_them() {
    let md = base();
    let op = Op::CreateUniqueConstraint {
        schema: None,
        table: "customers".into(),
        unique: Unique {
            name: None,
            columns: vec!["email".into()],
            ..Default::default()
        },
    };
    let sql = pg(&op, &md).expect("renders");
    let mut after = md.clone();
    op.apply(&mut after).expect("applies");
    let name = after
        .get_table(None, "customers")
        .and_then(|t| t.uniques.first())
        .and_then(|u| u.name.clone())
        .expect("apply named it");
    assert_eq!(
        sql,
        [format!(
            "ALTER TABLE customers ADD CONSTRAINT {name} UNIQUE (email)"
        )]
    );
    let fk = ForeignKey::new(["a"], "customers", ["id"]);
    let op = Op::CreateForeignKey {
        schema: None,
        table: "metrics".into(),
        foreign_key: fk,
        not_valid: false,
    };
    assert!(pg(&op, &md).expect("renders")[0].contains("fk_metrics_a_customers"));
}

// ---- on a real PostgreSQL ------------------------------------------------------------------

/// Runs each op's statements on its own (autocommit, as `CONCURRENTLY` needs), then
/// replays it into `md`. Returns every statement run.
async fn run(db: &TestDb, ops: &[Op], md: &mut MetaData) -> Result<Vec<String>, BoxError> {
    let mut all = Vec::new();
    for op in ops {
        let stmts = Postgres.render_op(op, md)?;
        for s in &stmts {
            db.execute(s)
                .await
                .map_err(|e| format!("{}: `{s}` failed: {e}", op.describe()))?;
        }
        op.apply(md)?;
        all.extend(stmts);
    }
    Ok(all)
}

async fn dump(db: &TestDb) -> Result<String, BoxError> {
    Ok(normalize_pg_dump(&db.pg_dump_schema().await?, &[]))
}

db_test!(every_op_kind_runs_up_and_back_down, [postgres], |db| {
    db.execute("CREATE SCHEMA old_ns").await?;
    db.execute_all(&Postgres.create_all(&base())?).await?;
    let start = dump(&db).await?;

    // Up: the database must be what creating the replayed schema from nothing gives.
    let mut md = base();
    run(&db, &upgrade(), &mut md).await?;
    let fresh = TestDb::postgres("every_op_kind_runs_up_and_back_down_fresh").await;
    let expected = async {
        fresh.execute("CREATE SCHEMA audit").await?;
        fresh.execute("CREATE SEQUENCE audit.ticket_seq").await?;
        fresh.execute_all(&Postgres.create_all(&md)?).await?;
        dump(&fresh).await
    }
    .await;
    fresh.close().await?;
    assert_same_text(
        "create_all of the replayed schema",
        &expected?,
        "after upgrade",
        &dump(&db).await?,
    );

    // The ops that cannot be undone, checked in the catalog and the data.
    let before_irreversible = md.clone();
    run(&db, &irreversible(), &mut md).await?;
    assert_eq!(
        db.query_strings("SELECT enum_range(NULL::mood)::text")
            .await?,
        ["{sad,happy,meh}"]
    );
    let mut rows = db
        .query_strings("SELECT id || ':' || coalesce(payload ->> 'a', 'null') FROM audit.events")
        .await?;
    rows.sort();
    assert_eq!(rows, ["1:it's", "2:null"]);
    db.execute("DELETE FROM audit.events").await?;

    // The added value is undone by recreating the type with its old values (rows keeping
    // their values through the swap is the evolution suite's case 43).
    let undo = reverse_all_from(&before_irreversible, &irreversible()[..1])?;
    assert!(
        matches!(undo.as_slice(), [Op::RecreateEnum { .. }]),
        "{undo:?}"
    );
    run(&db, &undo, &mut md).await?;
    assert_eq!(
        db.query_strings("SELECT enum_range(NULL::mood)::text")
            .await?,
        ["{sad,happy}"],
        "the order recreate_enum gave it, without the added value"
    );

    // Down: back to the very text we started from.
    run(&db, &downgrade(), &mut md).await?;
    assert_same_text("start", &start, "after downgrade", &dump(&db).await?);
    Ok(())
});

#[test]
fn ops_name_tables_in_the_default_schema_and_index_concurrently_in_any_form() {
    let md = MetaData::new()
        .with_schema("app")
        .table(Table::new("t").column(Column::new("c", Type::Text)));
    let op = alter("t", "c", |a| a.new_name = Some("d".into()));
    assert_eq!(
        pg(&op, &md).expect("renders"),
        ["ALTER TABLE app.t RENAME COLUMN c TO d"]
    );
    let unique = Index {
        unique: true,
        ..Index::on_columns(["c"]).name("t_c_key")
    };
    let create = |index: Index| Op::CreateIndex {
        schema: None,
        table: "t".into(),
        index,
        concurrently: true,
    };
    assert_eq!(
        pg(&create(unique), &md).expect("renders"),
        ["CREATE UNIQUE INDEX CONCURRENTLY t_c_key ON app.t (c)"]
    );
    // An unnamed index gets the convention's name (the default one is SQLAlchemy's), or
    // without a convention the one PostgreSQL gives it.
    assert_eq!(
        pg(&create(Index::on_columns(["c"])), &md).expect("renders"),
        ["CREATE INDEX CONCURRENTLY ix_t_c ON app.t (c)"]
    );
    let unnamed = md.clone().naming_convention(NamingConvention::none());
    assert_eq!(
        pg(&create(Index::on_columns(["c"])), &unnamed).expect("renders"),
        ["CREATE INDEX CONCURRENTLY ON app.t (c)"]
    );
    let drop = Op::DropIndex {
        schema: None,
        table: "t".into(),
        name: "t_c_key".into(),
        existing: None,
        concurrently: true,
    };
    assert_eq!(
        pg(&drop, &md).expect("renders"),
        ["DROP INDEX CONCURRENTLY app.t_c_key"]
    );
}

/// Issue 7, item 7: an identity added to a column with rows continues after them, and a
/// serial turned into an identity (or back) drops (or creates again) its own sequence.
#[test]
fn identities_continue_after_the_rows_and_serials_keep_their_sequence() {
    let md = MetaData::new();
    let serial_default = |seq: &str| ServerDefault::expr(format!("nextval('{seq}'::regclass)"));
    let to_identity = |seq: &str, identity: Identity| {
        let op = alter("tags", "id", |a| {
            a.existing_type = Some(Type::Integer);
            a.server_default = Some(None);
            a.existing_server_default = Some(Some(serial_default(seq)));
            a.identity = Some(Some(identity));
            a.existing_identity = Some(None);
        });
        pg(&op, &md).expect("renders")
    };
    let setval = "SELECT setval(pg_get_serial_sequence('tags', 'id'), GREATEST(MAX(id) + 1, 1), false) FROM tags";
    assert_eq!(
        to_identity("tags_id_seq", Identity::by_default()),
        [
            "ALTER TABLE tags ALTER COLUMN id DROP DEFAULT",
            "DROP SEQUENCE IF EXISTS tags_id_seq",
            "ALTER TABLE tags ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY",
            setval,
        ]
    );
    // Another sequence is not the serial's own: it stays. A stated START is kept.
    assert_eq!(
        to_identity("shared_seq", Identity::always().start(100)),
        [
            "ALTER TABLE tags ALTER COLUMN id DROP DEFAULT",
            "ALTER TABLE tags ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH 100)",
        ]
    );
    // Back: the identity dropped, the serial's sequence created again for its default.
    let op = alter("tags", "id", |a| {
        a.existing_type = Some(Type::Integer);
        a.server_default = Some(Some(serial_default("tags_id_seq")));
        a.existing_server_default = Some(None);
        a.identity = Some(None);
        a.existing_identity = Some(Some(Identity::by_default()));
    });
    assert_eq!(
        pg(&op, &md).expect("renders"),
        [
            "ALTER TABLE tags ALTER COLUMN id DROP IDENTITY",
            "CREATE SEQUENCE tags_id_seq AS INTEGER OWNED BY tags.id",
            "ALTER TABLE tags ALTER COLUMN id SET DEFAULT nextval('tags_id_seq'::regclass)",
            setval,
        ]
    );
    // Names that need quotes are quoted, and written as text where a function takes text.
    let op = alter("Tags", "Id", |a| {
        a.identity = Some(Some(Identity::always().increment(-1)));
        a.existing_identity = Some(None);
    });
    assert_eq!(
        pg(&op, &md).expect("renders"),
        [
            r#"ALTER TABLE "Tags" ALTER COLUMN "Id" ADD GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1)"#,
            r#"SELECT setval(pg_get_serial_sequence('"Tags"', 'Id'), LEAST(MIN("Id") - 1, -1), false) FROM "Tags""#,
        ]
    );
}

/// The op kind, by an exhaustive match: a new `Op` variant does not compile here until it
/// is named, and [`the_sequences_cover_every_op_kind`] then fails until the sequences above
/// use it (issue 12, item 4: no op may reach a wildcard arm unseen).
fn op_kind(op: &Op) -> &'static str {
    match op {
        Op::CreateTable { .. } => "CreateTable",
        Op::DropTable { .. } => "DropTable",
        Op::RenameTable { .. } => "RenameTable",
        Op::AddColumn { .. } => "AddColumn",
        Op::DropColumn { .. } => "DropColumn",
        Op::AlterColumn(_) => "AlterColumn",
        Op::SwapColumnType(_) => "SwapColumnType",
        Op::CreateIndex { .. } => "CreateIndex",
        Op::DropIndex { .. } => "DropIndex",
        Op::CreateUniqueConstraint { .. } => "CreateUniqueConstraint",
        Op::CreateForeignKey { .. } => "CreateForeignKey",
        Op::CreateCheckConstraint { .. } => "CreateCheckConstraint",
        Op::CreatePrimaryKey { .. } => "CreatePrimaryKey",
        Op::CreateExcludeConstraint { .. } => "CreateExcludeConstraint",
        Op::CreateSequence { .. } => "CreateSequence",
        Op::DropSequence { .. } => "DropSequence",
        Op::AlterSequence { .. } => "AlterSequence",
        Op::DropConstraint { .. } => "DropConstraint",
        Op::ValidateConstraint { .. } => "ValidateConstraint",
        Op::CreateTableComment { .. } => "CreateTableComment",
        Op::DropTableComment { .. } => "DropTableComment",
        Op::Inherit { .. } => "Inherit",
        Op::NoInherit { .. } => "NoInherit",
        Op::SetStorage { .. } => "SetStorage",
        Op::CreateEnum { .. } => "CreateEnum",
        Op::DropEnum { .. } => "DropEnum",
        Op::AddEnumValue { .. } => "AddEnumValue",
        Op::RecreateEnum { .. } => "RecreateEnum",
        Op::CreateSchema { .. } => "CreateSchema",
        Op::DropSchema { .. } => "DropSchema",
        Op::Execute { .. } => "Execute",
        Op::CreateEntity { .. } => "CreateEntity",
        Op::ReplaceEntity { .. } => "ReplaceEntity",
        Op::DropEntity { .. } => "DropEntity",
        Op::CopyFrom { .. } => "CopyFrom",
        Op::BulkInsert { .. } => "BulkInsert",
    }
}

#[test]
fn the_sequences_cover_every_op_kind() {
    const ALL: &[&str] = &[
        "CreateTable",
        "DropTable",
        "RenameTable",
        "AddColumn",
        "DropColumn",
        "AlterColumn",
        "SwapColumnType",
        "CreateIndex",
        "DropIndex",
        "CreateUniqueConstraint",
        "CreateForeignKey",
        "CreateCheckConstraint",
        "CreatePrimaryKey",
        "CreateExcludeConstraint",
        "CreateSequence",
        "DropSequence",
        "AlterSequence",
        "DropConstraint",
        "ValidateConstraint",
        "CreateTableComment",
        "DropTableComment",
        "Inherit",
        "NoInherit",
        "SetStorage",
        "CreateEnum",
        "DropEnum",
        "AddEnumValue",
        "RecreateEnum",
        "CreateSchema",
        "DropSchema",
        "Execute",
        "CreateEntity",
        "ReplaceEntity",
        "DropEntity",
        "CopyFrom",
        "BulkInsert",
    ];
    let seen: std::collections::BTreeSet<&str> = upgrade()
        .iter()
        .chain(&irreversible())
        .chain(&downgrade())
        .map(op_kind)
        .collect();
    let missing: Vec<&&str> = ALL.iter().filter(|k| !seen.contains(**k)).collect();
    assert!(
        missing.is_empty(),
        "every_op_kind_up_and_down renders no {missing:?}: add one to upgrade() or irreversible()"
    );
    assert_eq!(
        seen.len(),
        ALL.len(),
        "op_kind names a kind ALL does not list"
    );
}

/// A revision autogenerated on SQLite drops what SQLite left unnamed by its definition;
/// PostgreSQL named each of them itself when `create_all` or an unnamed `ADD` made it, so
/// the drop uses that name (`ChooseConstraintName`'s: `t_pkey`, `t_cols_fkey`, `t_cols_key`,
/// `t_col_check` / `t_check`, shortened to 63 bytes) rather than refusing.
#[test]
fn unnamed_constraints_are_dropped_by_the_name_postgresql_gives() {
    use retort_core::ops::Constraint;
    let long = "t".repeat(62);
    let md = MetaData::new()
        .table(
            Table::new("players")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("team_id", Type::Integer))
                .column(Column::new("a", Type::Integer))
                .column(Column::new("b", Type::Integer))
                .primary_key(["id"]),
        )
        .table(
            Table::new(long.as_str())
                .column(Column::new("id", Type::Integer).not_null())
                .primary_key(["id"]),
        );
    let drop = |table: &str, kind: ConstraintKind, c: Constraint| Op::DropConstraint {
        schema: None,
        table: table.into(),
        name: String::new(),
        kind,
        existing: Some(c),
    };
    let cases = [
        (
            drop(
                "players",
                ConstraintKind::PrimaryKey,
                Constraint::PrimaryKey(PrimaryKey::new(["id"])),
            ),
            "ALTER TABLE players DROP CONSTRAINT players_pkey",
        ),
        (
            drop(
                "players",
                ConstraintKind::ForeignKey,
                Constraint::ForeignKey(ForeignKey::new(["team_id"], "teams", ["id"])),
            ),
            "ALTER TABLE players DROP CONSTRAINT players_team_id_fkey",
        ),
        (
            drop(
                "players",
                ConstraintKind::Unique,
                Constraint::Unique(Unique::new(["a", "b"])),
            ),
            "ALTER TABLE players DROP CONSTRAINT players_a_b_key",
        ),
        (
            drop(
                "players",
                ConstraintKind::Check,
                Constraint::Check(retort_core::Check::new("a < b")),
            ),
            "ALTER TABLE players DROP CONSTRAINT players_check",
        ),
        (
            drop(
                &long,
                ConstraintKind::PrimaryKey,
                Constraint::PrimaryKey(PrimaryKey::new(["id"])),
            ),
            &format!("ALTER TABLE {} DROP CONSTRAINT {}_pkey", long, &long[..58]),
        ),
    ];
    for (op, expected) in cases {
        assert_eq!(pg(&op, &md).unwrap(), [expected.to_string()], "{op:?}");
    }
}

#[test]
fn sqlite_and_mysql_refuse_inheritance_and_storage_parameters_by_name() {
    use retort_dialect::{Mysql, Sqlite};
    let parent = Table::new("payment").column(Column::new("id", Type::Integer).not_null());
    let child = Table::new("payment_p1")
        .column(Column::new("id", Type::Integer).not_null().inherited())
        .inherits("payment");
    let md = MetaData::new().table(parent.clone()).table(child.clone());
    let create = Op::CreateTable {
        table: child.clone(),
    };
    let with = Op::CreateTable {
        table: Table::new("t")
            .column(Column::new("id", Type::Integer))
            .with("fillfactor", "70"),
    };
    let index = Op::CreateIndex {
        schema: None,
        table: "payment".into(),
        index: Index::on_columns(["id"])
            .name("ix_id")
            .with("fillfactor", "90"),
        concurrently: false,
    };
    let inherit = Op::Inherit {
        schema: None,
        table: "payment".into(),
        parent: retort_core::TableRef::new(None, "payment_p1"),
    };
    let set = Op::SetStorage {
        schema: None,
        table: "payment".into(),
        index: None,
        with: vec![("fillfactor".into(), "70".into())],
        existing: Some(Vec::new()),
    };
    for d in [&Sqlite as &dyn Dialect, &Mysql] {
        let err = |op: &Op| match d.render_op(op, &md) {
            Ok(sql) => panic!("{} rendered {sql:?} for {}", d.name(), op.describe()),
            Err(e) => e.to_string(),
        };
        let e = err(&create);
        assert!(
            e.contains("table inheritance (INHERITS) of table `payment_p1`"),
            "{e}"
        );
        let e = err(&with);
        assert!(
            e.contains("storage parameters WITH (fillfactor=70) of table `t`"),
            "{e}"
        );
        let e = err(&index);
        assert!(
            e.contains("WITH (fillfactor=90) of index `ix_id` on `payment`"),
            "{e}"
        );
        let e = err(&inherit);
        assert!(e.contains("of table `payment`"), "{e}");
        let e = err(&set);
        assert!(e.contains("of table `payment`"), "{e}");
    }
}

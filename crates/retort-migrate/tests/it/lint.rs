//! The lint on real databases: every rule triggered by an op over a populated schema, and
//! silent on its safe form (or on the data that makes it harmless). The ops are linted,
//! never run: the lint reads the data, it changes nothing (checked at the end).
//!
//! One database per dialect holds the start schema and its rows; each case is a list of
//! ops linted from that schema, with the rules it must raise and the rules it must not.
//! A last check makes sure every rule of the registry is covered by a firing case and a
//! silent one on PostgreSQL (and on SQLite, for the rules that apply there).

use std::collections::BTreeSet;

use retort_core::ops::{Operations, SwapStep};
use retort_core::{
    Column, Computed, ExcludeElement, Identity, MetaData, Serial, ServerDefault, Type,
};
use retort_migrate::lint::{self, LintReport, LintSettings, RevisionOps, Rule, Severity};
use retort_migrate::render::ops_to_sql;
use retort_migrate::Backend;
use retort_testkit::{db_test, TestDb, TestDialect};

use crate::fixtures::driver;

fn backend(db: &TestDb) -> Backend {
    match db.dialect() {
        TestDialect::Sqlite => Backend::Sqlite,
        TestDialect::Mysql => Backend::Mysql,
        _ => Backend::Postgres,
    }
}

/// The start schema: tables with rows that break some constraints and keep others.
fn setup(op: &mut Operations, pg: bool) {
    op.create_enum("mood", ["ok", "bad", "gone"]);
    op.create_table("customers", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("email", Type::Varchar(Some(50)));
        t.column("name", Type::Text).not_null();
        t.column("code", Type::Varchar(Some(10)));
        t.column("score", Type::BigInt);
        t.column("mood", Type::enumeration("mood"));
        t.column("unused", Type::Text);
        t.column("digits", Type::Varchar(Some(10)));
        t.column(
            "ratio",
            Type::Numeric {
                precision: None,
                scale: None,
            },
        );
        t.primary_key(["id"]);
        t.check("code IS NOT NULL").name("ck_code_nn");
    });
    op.create_index("ix_customers_name", "customers", ["name"]);
    op.create_table("orders", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("customer_id", Type::Integer);
        t.column("total", Type::Integer);
        t.primary_key(["id"]);
    });
    op.create_table("lines", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("customer_id", Type::Integer);
        t.primary_key(["id"]);
    });
    op.create_table("nopk", |t| {
        t.column("a", Type::Integer);
        t.column("b", Type::Integer);
    });
    op.create_table("empty_t", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("note", Type::Text);
        t.primary_key(["id"]);
    });
    let _ = pg;
}

/// A foreign key over clean rows, a check every row meets and a SET NOT NULL over no NULL,
/// as `revision --autogenerate` writes them with `--online` (`online_ops`) or without.
fn online_three(op: &mut Operations, online: bool) {
    let mut plain = Operations::new();
    plain.create_foreign_key(
        "fk_lines_customer",
        "lines",
        "customers",
        ["customer_id"],
        ["id"],
    );
    plain.create_check_constraint("ck_total", "orders", "total > -100");
    plain
        .alter_column("orders", "total")
        .nullable(false)
        .existing_nullable(true)
        .existing_type(Type::Integer);
    let ops = if online {
        retort_migrate::autogenerate::online_ops(
            plain.into_ops(),
            Backend::Postgres,
            &MetaData::new(),
        )
    } else {
        plain.into_ops()
    };
    for o in ops {
        op.push(o);
    }
}

/// `orders.total` integer -> bigint, plainly or as `online_ops` writes it (add-copy-swap:
/// the model gives `orders` its primary key).
fn widen_total(op: &mut Operations, online: bool) {
    let mut plain = Operations::new();
    plain
        .alter_column("orders", "total")
        .type_(Type::BigInt)
        .existing_type(Type::Integer);
    let ops = if online {
        let model = MetaData::new().table(
            retort_core::Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("customer_id", Type::Integer))
                .column(Column::new("total", Type::BigInt))
                .primary_key(["id"]),
        );
        let ops =
            retort_migrate::autogenerate::online_ops(plain.into_ops(), Backend::Postgres, &model);
        assert!(
            matches!(ops.first(), Some(retort_core::ops::Op::SwapColumnType(_))),
            "{ops:?}"
        );
        ops
    } else {
        plain.into_ops()
    };
    for o in ops {
        op.push(o);
    }
}

const ROWS: &[&str] = &[
    "INSERT INTO customers (id, email, name, code, score, mood, digits, ratio) VALUES (1, 'a@x', 'A', 'c1', 5, 'ok', '12', 3), (2, NULL, 'B', 'c2', 3000000000, 'gone', ' -7', 0.5), (3, 'a@x', 'C', 'c3', 7, 'ok', NULL, NULL)",
    "INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 10), (2, 99, -5), (3, NULL, 3)",
    "INSERT INTO lines (id, customer_id) VALUES (1, 1), (2, 3), (3, NULL)",
    "INSERT INTO nopk (a, b) VALUES (1, 1), (1, 2), (NULL, 3)",
];

/// One case: ops, the rules they must raise, the rules they must not.
struct Case {
    name: &'static str,
    ops: fn(&mut Operations),
    fires: &'static [Rule],
    silent: &'static [Rule],
    /// Lint with the default large-table threshold (10 MB: every test table is small)
    /// instead of 0.
    small: bool,
    /// Lint with ddl_lock_timeout configured.
    lock_timeout: bool,
}

const fn case(
    name: &'static str,
    ops: fn(&mut Operations),
    fires: &'static [Rule],
    silent: &'static [Rule],
) -> Case {
    Case {
        name,
        ops,
        fires,
        silent,
        small: false,
        lock_timeout: false,
    }
}

use Rule::*;

fn cases() -> Vec<Case> {
    vec![
        case(
            "drop a populated table",
            |op| {
                op.drop_table("customers");
            },
            &[DropTable],
            &[],
        ),
        case(
            "drop an empty table",
            |op| {
                op.drop_table("empty_t");
            },
            &[],
            &[DropTable],
        ),
        case(
            "drop a column holding values",
            |op| {
                op.drop_column("customers", "email");
            },
            &[DropColumn],
            &[],
        ),
        case(
            "drop a column holding only NULL",
            |op| {
                op.drop_column("customers", "unused");
            },
            &[],
            &[DropColumn],
        ),
        case(
            "shrink a varchar below its values",
            |op| {
                op.alter_column("customers", "code")
                    .type_(Type::Varchar(Some(1)))
                    .existing_type(Type::Varchar(Some(10)));
            },
            &[NarrowingType, ChangingColumnType, SqliteTableRebuild],
            &[],
        ),
        case(
            "shrink a varchar to what its values need",
            |op| {
                op.alter_column("customers", "code")
                    .type_(Type::Varchar(Some(2)))
                    .existing_type(Type::Varchar(Some(10)));
            },
            &[],
            &[NarrowingType],
        ),
        case(
            "widen a populated integer to bigint, plainly",
            |op| widen_total(op, false),
            &[ChangingColumnType],
            &[],
        ),
        case(
            "the same widening by add-copy-swap, as autogenerate writes it with --online",
            |op| widen_total(op, true),
            &[],
            &[ChangingColumnType, DropColumn, NarrowingType],
        ),
        case(
            "shrink a varchar below its values by add-copy-swap",
            |op| {
                for step in [SwapStep::Start, SwapStep::Backfill, SwapStep::Finish] {
                    op.swap_column_type("customers", "code", Type::Varchar(Some(1)), step)
                        .existing_type(Type::Varchar(Some(10)));
                }
            },
            &[NarrowingType],
            &[ChangingColumnType, DropColumn],
        ),
        case(
            "bigint to integer over a value that does not fit",
            |op| {
                op.alter_column("customers", "score")
                    .type_(Type::Integer)
                    .existing_type(Type::BigInt);
            },
            &[NarrowingType],
            &[],
        ),
        case(
            "text to integer over values that are not numbers",
            |op| {
                op.alter_column("customers", "code")
                    .type_(Type::Integer)
                    .existing_type(Type::Varchar(Some(10)));
            },
            &[NarrowingType],
            &[],
        ),
        case(
            "text to integer over whole numbers (PostgreSQL checks them)",
            |op| {
                op.alter_column("customers", "digits")
                    .type_(Type::Integer)
                    .existing_type(Type::Varchar(Some(10)));
            },
            &[],
            &[],
        ),
        case(
            "numeric to fewer digits over a fraction",
            |op| {
                op.alter_column("customers", "ratio")
                    .type_(Type::Numeric {
                        precision: Some(8),
                        scale: None,
                    })
                    .existing_type(Type::Numeric {
                        precision: None,
                        scale: None,
                    });
            },
            &[NarrowingType],
            &[],
        ),
        case(
            "numeric to a precision its values fit",
            |op| {
                op.alter_column("customers", "ratio")
                    .type_(Type::Numeric {
                        precision: Some(8),
                        scale: Some(2),
                    })
                    .existing_type(Type::Numeric {
                        precision: None,
                        scale: None,
                    });
            },
            &[],
            &[NarrowingType],
        ),
        case(
            "constraints over a column added in the same revision are not asked of the database",
            |op| {
                op.add_column("customers", Column::new("serial_no", Type::Text));
                op.create_unique_constraint("uq_serial_no", "customers", ["serial_no"]);
                op.create_check_constraint("ck_serial_no", "customers", "serial_no <> ''");
                op.drop_column("customers", "serial_no");
            },
            &[],
            &[UniqueViolation, CheckViolation, DropColumn],
        ),
        case(
            "widen a varchar (no rewrite on PostgreSQL)",
            |op| {
                op.alter_column("customers", "code")
                    .type_(Type::Varchar(Some(20)))
                    .existing_type(Type::Varchar(Some(10)));
            },
            &[],
            &[ChangingColumnType, NarrowingType],
        ),
        case(
            "remove an enum value in use",
            |op| {
                op.recreate_enum("mood", ["ok", "bad"])
                    .existing(["ok", "bad", "gone"]);
            },
            &[DropEnumValue],
            &[],
        ),
        case(
            "remove an enum value nobody holds",
            |op| {
                op.recreate_enum("mood", ["ok", "gone"])
                    .existing(["ok", "bad", "gone"]);
            },
            &[],
            &[DropEnumValue],
        ),
        case(
            "rename a table",
            |op| {
                op.rename_table("customers", "clients");
            },
            &[RenamingTable],
            &[],
        ),
        case(
            "rename a table created in the same revision",
            |op| {
                op.create_table("fresh", |t| {
                    t.column("id", Type::BigInt);
                });
                op.rename_table("fresh", "fresher");
                op.alter_column("fresher", "id").new_column_name("key");
            },
            &[],
            &[RenamingTable, RenamingColumn, RequireLockTimeout],
        ),
        case(
            "rename a column",
            |op| {
                op.alter_column("customers", "name")
                    .new_column_name("full_name");
            },
            &[RenamingColumn, RequireLockTimeout],
            &[],
        ),
        Case {
            lock_timeout: true,
            ..case(
                "rename a column with ddl_lock_timeout set",
                |op| {
                    op.alter_column("customers", "name")
                        .new_column_name("full_name");
                },
                &[RenamingColumn],
                &[RequireLockTimeout],
            )
        },
        case(
            "drop NOT NULL",
            |op| {
                op.alter_column("customers", "name")
                    .nullable(true)
                    .existing_nullable(false);
            },
            &[DropNotNull],
            &[],
        ),
        case(
            "drop NOT NULL on a table created in the same revision",
            |op| {
                op.create_table("fresh", |t| {
                    t.column("id", Type::BigInt).not_null();
                });
                op.alter_column("fresh", "id")
                    .nullable(true)
                    .existing_nullable(false);
            },
            &[],
            &[DropNotNull],
        ),
        case(
            "set NOT NULL over NULL rows",
            |op| {
                op.alter_column("customers", "email")
                    .nullable(false)
                    .existing_nullable(true);
            },
            &[SettingNotNull, NotNullViolation],
            &[],
        ),
        case(
            "set NOT NULL proven by a check, over no NULL",
            |op| {
                op.alter_column("customers", "code")
                    .nullable(false)
                    .existing_nullable(true);
            },
            &[],
            &[SettingNotNull, NotNullViolation],
        ),
        case(
            "add a column with a volatile default",
            |op| {
                op.add_column(
                    "customers",
                    Column::new("token", Type::Uuid)
                        .server_default(ServerDefault::Expr("gen_random_uuid()".into())),
                );
            },
            &[AddingFieldWithVolatileDefault],
            &[],
        ),
        case(
            "add a column with a stable default",
            |op| {
                op.add_column(
                    "customers",
                    Column::new("seen", Type::Timestamp { tz: true })
                        .server_default(ServerDefault::Expr("now()".into())),
                );
            },
            &[],
            &[AddingFieldWithVolatileDefault, AddingRequiredField],
        ),
        case(
            "add a stored generated column",
            |op| {
                op.add_column(
                    "orders",
                    Column::new("double_total", Type::Integer)
                        .computed(Computed::stored("total * 2")),
                );
            },
            &[AddingStoredGeneratedColumn],
            &[],
        ),
        case(
            "add a plain nullable column",
            |op| {
                op.add_column("orders", Column::new("note", Type::Text));
            },
            &[],
            &[
                AddingStoredGeneratedColumn,
                AddingRequiredField,
                SqliteTableRebuild,
            ],
        ),
        case(
            "add a required column to a populated table",
            |op| {
                op.add_column("customers", Column::new("req", Type::Integer).not_null());
            },
            &[AddingRequiredField],
            &[],
        ),
        case(
            "add a required column to an empty table",
            |op| {
                op.add_column("empty_t", Column::new("req", Type::Integer).not_null());
            },
            &[],
            &[AddingRequiredField],
        ),
        case(
            "add a foreign key over orphans",
            |op| {
                op.create_foreign_key(
                    "fk_orders_customer",
                    "orders",
                    "customers",
                    ["customer_id"],
                    ["id"],
                );
            },
            &[ConstraintMissingNotValid, ForeignKeyViolation],
            &[],
        ),
        case(
            "add a foreign key over clean rows",
            |op| {
                op.create_foreign_key(
                    "fk_lines_customer",
                    "lines",
                    "customers",
                    ["customer_id"],
                    ["id"],
                );
            },
            &[],
            &[ForeignKeyViolation],
        ),
        case(
            "add a foreign key NOT VALID through raw SQL",
            |op| {
                op.execute("ALTER TABLE orders ADD CONSTRAINT fk_nv FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID");
            },
            &[],
            &[ConstraintMissingNotValid],
        ),
        case(
            "add a foreign key through raw SQL without NOT VALID",
            |op| {
                op.execute("ALTER TABLE orders ADD CONSTRAINT fk_v FOREIGN KEY (customer_id) REFERENCES customers (id)");
            },
            &[ConstraintMissingNotValid],
            &[],
        ),
        case(
            "add a check the rows break",
            |op| {
                op.create_check_constraint("ck_total", "orders", "total >= 0");
            },
            &[ConstraintMissingNotValid, CheckViolation],
            &[],
        ),
        case(
            "a foreign key, a check and SET NOT NULL, plainly",
            |op| online_three(op, false),
            &[ConstraintMissingNotValid, SettingNotNull],
            &[],
        ),
        case(
            "the same three in the online forms autogenerate writes (NOT VALID, VALIDATE)",
            |op| online_three(op, true),
            &[],
            &[
                ConstraintMissingNotValid,
                SettingNotNull,
                ForeignKeyViolation,
                CheckViolation,
                NotNullViolation,
            ],
        ),
        case(
            "a foreign key added NOT VALID by the op flag, then validated",
            |op| {
                op.create_foreign_key(
                    "fk_lines_customer",
                    "lines",
                    "customers",
                    ["customer_id"],
                    ["id"],
                )
                .not_valid();
                op.validate_constraint(
                    "fk_lines_customer",
                    "lines",
                    retort_core::ops::ConstraintKind::ForeignKey,
                );
            },
            &[],
            &[ConstraintMissingNotValid, ForeignKeyViolation],
        ),
        case(
            "add a check every row meets",
            |op| {
                op.create_check_constraint("ck_total", "orders", "total > -100");
            },
            &[],
            &[CheckViolation],
        ),
        case(
            "add a unique constraint over duplicates",
            |op| {
                op.create_unique_constraint("uq_email", "customers", ["email"]);
            },
            &[AddingUniqueConstraint, UniqueViolation],
            &[],
        ),
        case(
            "add a unique index concurrently over distinct values",
            |op| {
                op.create_index("uq_name", "customers", ["name"])
                    .unique()
                    .concurrently();
            },
            &[],
            &[
                AddingUniqueConstraint,
                UniqueViolation,
                RequireConcurrentIndexCreation,
            ],
        ),
        case(
            "add a primary key over duplicates and NULLs",
            |op| {
                op.create_primary_key("pk_nopk", "nopk", ["a"]);
            },
            &[
                AddingPrimaryKeyConstraint,
                UniqueViolation,
                NotNullViolation,
            ],
            &[],
        ),
        Case {
            small: true,
            ..case(
                "add a primary key on a small table over clean values",
                |op| {
                    op.create_primary_key("pk_nopk", "nopk", ["b"]);
                },
                &[],
                &[
                    AddingPrimaryKeyConstraint,
                    UniqueViolation,
                    NotNullViolation,
                ],
            )
        },
        case(
            "add an exclusion constraint",
            |op| {
                op.create_exclude_constraint(
                    "ex_code",
                    "customers",
                    vec![ExcludeElement::column("code", "=")],
                );
            },
            &[AddingExclusionConstraint],
            &[],
        ),
        Case {
            small: true,
            ..case(
                "add an exclusion constraint on a small table",
                |op| {
                    op.create_exclude_constraint(
                        "ex_code",
                        "customers",
                        vec![ExcludeElement::column("code", "=")],
                    );
                },
                &[],
                &[AddingExclusionConstraint],
            )
        },
        case(
            "create an index without CONCURRENTLY",
            |op| {
                op.create_index("ix_orders_total", "orders", ["total"]);
            },
            &[RequireConcurrentIndexCreation],
            &[],
        ),
        case(
            "create an index on a table created in the same revision",
            |op| {
                op.create_table("fresh", |t| {
                    t.column("id", Type::BigInt);
                });
                op.create_index("ix_fresh", "fresh", ["id"]);
            },
            &[],
            &[RequireConcurrentIndexCreation],
        ),
        case(
            "drop an index without CONCURRENTLY",
            |op| {
                op.drop_index("ix_customers_name", "customers");
            },
            &[RequireConcurrentIndexDeletion],
            &[],
        ),
        case(
            "drop an index concurrently",
            |op| {
                op.drop_index("ix_customers_name", "customers")
                    .concurrently();
            },
            &[],
            &[RequireConcurrentIndexDeletion],
        ),
        Case {
            small: true,
            ..case(
                "lock rules on small tables",
                |op| {
                    op.create_index("ix_orders_total", "orders", ["total"]);
                    op.alter_column("customers", "score")
                        .type_(Type::Text)
                        .existing_type(Type::BigInt);
                    op.create_check_constraint("ck_total", "orders", "total > -100");
                    op.add_column(
                        "customers",
                        Column::new("token", Type::Uuid)
                            .server_default(ServerDefault::Expr("gen_random_uuid()".into())),
                    );
                    op.add_column(
                        "orders",
                        Column::new("double_total", Type::Integer)
                            .computed(Computed::stored("total * 2")),
                    );
                },
                &[],
                &[
                    RequireConcurrentIndexCreation,
                    ChangingColumnType,
                    ConstraintMissingNotValid,
                    AddingFieldWithVolatileDefault,
                    AddingStoredGeneratedColumn,
                ],
            )
        },
        case(
            "raw CONCURRENTLY inside the transaction",
            |op| {
                op.execute("CREATE INDEX CONCURRENTLY ix_raw ON orders (total)");
            },
            &[ConcurrentIndexInTransaction],
            &[],
        ),
        case(
            "raw CONCURRENTLY declared outside the transaction",
            |op| {
                op.execute("CREATE INDEX CONCURRENTLY ix_raw ON orders (total)")
                    .outside_transaction();
            },
            &[],
            &[ConcurrentIndexInTransaction, RequireConcurrentIndexCreation],
        ),
        case(
            "raw COMMIT",
            |op| {
                op.execute("UPDATE orders SET total = 0; COMMIT");
            },
            &[TransactionNesting],
            &[],
        ),
        case(
            "a function body with BEGIN",
            |op| {
                op.execute("CREATE FUNCTION f_lint() RETURNS integer AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql");
            },
            &[],
            &[TransactionNesting],
        ),
        case(
            "raw DROP DATABASE",
            |op| {
                op.execute("DROP DATABASE other");
            },
            &[BanDropDatabase],
            &[],
        ),
        case(
            "raw DROP TABLE",
            |op| {
                op.execute("DROP TABLE IF EXISTS other");
            },
            &[],
            &[BanDropDatabase],
        ),
        case(
            "raw TRUNCATE CASCADE",
            |op| {
                op.execute("TRUNCATE orders CASCADE");
            },
            &[BanTruncateCascade],
            &[],
        ),
        case(
            "raw TRUNCATE",
            |op| {
                op.execute("TRUNCATE orders");
            },
            &[],
            &[BanTruncateCascade],
        ),
        case(
            "a table with the column types the style rules dislike",
            |op| {
                op.create_table("styled", |t| {
                    t.column("id", Type::Integer).identity(Identity::always());
                    t.column("title", Type::Varchar(Some(20)));
                    t.column("at", Type::Timestamp { tz: false });
                    t.column("flag", Type::Char(Some(1)));
                });
                op.add_column(
                    "empty_t",
                    Column::new("seq", Type::Integer).serial(Serial::new()),
                );
            },
            &[
                PreferBigintOverInt,
                PreferTextField,
                PreferTimestamptz,
                BanCharField,
                PreferIdentity,
            ],
            &[],
        ),
        case(
            "a table with the column types the style rules prefer",
            |op| {
                op.create_table("styled", |t| {
                    t.column("id", Type::BigInt).identity(Identity::always());
                    t.column("title", Type::Text);
                    t.column("at", Type::Timestamp { tz: true });
                    t.column("flag", Type::Varchar(None));
                });
            },
            &[],
            &[
                PreferBigintOverInt,
                PreferTextField,
                PreferTimestamptz,
                BanCharField,
                PreferIdentity,
            ],
        ),
        case(
            "an enum value added last",
            |op| {
                op.add_enum_value("mood", "meh");
            },
            &[RequireEnumValueOrdering],
            &[],
        ),
        case(
            "an enum value placed",
            |op| {
                op.add_enum_value("mood", "meh").after("ok");
            },
            &[],
            &[RequireEnumValueOrdering],
        ),
        case(
            "a SQLite rebuild of a populated table",
            |op| {
                op.alter_column("orders", "total")
                    .type_(Type::BigInt)
                    .existing_type(Type::Integer);
            },
            &[SqliteTableRebuild],
            &[],
        ),
        case(
            "a SQLite rebuild of an empty table",
            |op| {
                op.alter_column("empty_t", "note")
                    .type_(Type::Varchar(Some(5)))
                    .existing_type(Type::Text);
            },
            &[],
            &[SqliteTableRebuild, NarrowingType],
        ),
    ]
}

/// Every rule on, style rules included, at the severity they have by default (info for
/// the style rules).
fn settings(case: &Case) -> LintSettings {
    let mut s = LintSettings::default()
        .with_ddl_lock_timeout(case.lock_timeout)
        .with_large_table_bytes(if case.small {
            lint::DEFAULT_LARGE_TABLE_BYTES
        } else {
            0
        });
    for r in Rule::ALL {
        if r.info().default_severity.is_none() {
            s = s.with_rule(*r, Some(Severity::Info));
        }
    }
    s
}

async fn run_cases(db: &TestDb) -> Result<(), retort_testkit::BoxError> {
    let backend = backend(db);
    let pg = backend == Backend::Postgres;
    let mut op = Operations::new();
    setup(&mut op, pg);
    let mut start = MetaData::new();
    let statements = ops_to_sql(backend, &op.into_ops(), &mut start)?;
    db.execute_all(&statements).await?;
    for row in ROWS {
        db.execute(row).await?;
    }
    let before = db
        .query_strings("SELECT CAST(COUNT(*) AS TEXT) FROM customers")
        .await?;
    let mut d = driver(db).await;
    let mut fired: BTreeSet<Rule> = BTreeSet::new();
    let mut silenced: BTreeSet<Rule> = BTreeSet::new();
    let mut failures = Vec::new();
    for case in cases() {
        let mut op = Operations::new();
        (case.ops)(&mut op);
        let steps = [RevisionOps {
            revision: "lint01".into(),
            path: "versions/lint01_case.rs".into(),
            direction: retort_core::graph::Direction::Upgrade,
            ops: op.into_ops(),
            source: None,
        }];
        let report: LintReport = lint::lint(
            &steps,
            start.clone(),
            backend,
            &settings(&case),
            Some(&mut d),
        )
        .await;
        let found: BTreeSet<Rule> = report.findings.iter().map(|f| f.rule).collect();
        for r in case.fires.iter().filter(|r| r.applies_to(backend)) {
            if found.contains(r) {
                fired.insert(*r);
            } else {
                failures.push(format!(
                    "{}: {} did not fire; found {:?}",
                    case.name, r, report.findings
                ));
            }
        }
        for r in case.silent.iter().filter(|r| r.applies_to(backend)) {
            if found.contains(r) {
                failures.push(format!("{}: {} fired: {:?}", case.name, r, report.findings));
            } else {
                silenced.insert(*r);
            }
        }
    }
    // PostgreSQL checks text turned into integers with a regular expression: whole numbers
    // pass (SQLite, without one, reports any value).
    if pg {
        let mut op = Operations::new();
        op.alter_column("customers", "digits")
            .type_(Type::Integer)
            .existing_type(Type::Varchar(Some(10)));
        let steps = [RevisionOps {
            revision: "lint02".into(),
            path: "versions/lint02.rs".into(),
            direction: retort_core::graph::Direction::Upgrade,
            ops: op.into_ops(),
            source: None,
        }];
        let report = lint::lint(
            &steps,
            start.clone(),
            backend,
            &LintSettings::default(),
            Some(&mut d),
        )
        .await;
        assert!(
            !report.findings.iter().any(|f| f.rule == NarrowingType),
            "whole numbers reported: {:?}",
            report.findings
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every rule that applies to this backend is shown firing and shown silent.
    let applicable: BTreeSet<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|r| r.applies_to(backend))
        .collect();
    let not_fired: Vec<_> = applicable.difference(&fired).collect();
    let not_silenced: Vec<_> = applicable.difference(&silenced).collect();
    assert!(
        not_fired.is_empty(),
        "rules never shown firing on {backend:?}: {not_fired:?}"
    );
    assert!(
        not_silenced.is_empty(),
        "rules never shown silent on {backend:?}: {not_silenced:?}"
    );
    // The lint read the data and changed nothing.
    assert_eq!(
        db.query_strings("SELECT CAST(COUNT(*) AS TEXT) FROM customers")
            .await?,
        before
    );
    Ok(())
}

db_test!(every_rule_fires_and_is_silent_on_its_safe_form, |db| {
    run_cases(&db).await
});

db_test!(
    findings_name_the_rows_and_offline_says_what_is_unknown,
    |db| {
        let backend = backend(&db);
        let mut op = Operations::new();
        setup(&mut op, true);
        let mut start = MetaData::new();
        db.execute_all(&ops_to_sql(backend, &op.into_ops(), &mut start)?)
            .await?;
        for row in ROWS {
            db.execute(row).await?;
        }
        let mut op = Operations::new();
        op.alter_column("customers", "email").nullable(false);
        op.create_foreign_key("fk_o", "orders", "customers", ["customer_id"], ["id"]);
        op.drop_table("customers");
        let source = "pub fn upgrade(op: &mut Operations) {\n    op.alter_column(\"customers\", \"email\").nullable(false);\n    op.create_foreign_key(\"fk_o\", \"orders\", \"customers\", [\"customer_id\"], [\"id\"]);\n\n    op.drop_table(\"customers\");\n}\n";
        let steps = [RevisionOps {
            revision: "abc".into(),
            path: "versions/abc_x.rs".into(),
            direction: retort_core::graph::Direction::Upgrade,
            ops: op.into_ops(),
            source: Some(source.into()),
        }];
        let mut d = driver(&db).await;
        let report = lint::lint(
            &steps,
            start.clone(),
            backend,
            &LintSettings::default(),
            Some(&mut d),
        )
        .await;
        let get = |r: Rule| {
            report
                .findings
                .iter()
                .find(|f| f.rule == r)
                .unwrap_or_else(|| panic!("{r} in {:?}", report.findings))
        };
        let nn = get(Rule::NotNullViolation);
        assert_eq!(nn.location(), "versions/abc_x.rs:2");
        assert_eq!(nn.severity, Severity::Error);
        assert!(
            nn.message.contains("1 rows where email is NULL (id: 2)"),
            "{}",
            nn.message
        );
        let fk = get(Rule::ForeignKeyViolation);
        assert_eq!(fk.line, Some(3));
        assert!(
            fk.message
                .contains("1 row refer to no row of customers (id: 2)"),
            "{}",
            fk.message
        );
        let drop = get(Rule::DropTable);
        assert_eq!(drop.line, Some(5));
        assert!(
            drop.message.contains("the table holds 3 rows"),
            "{}",
            drop.message
        );
        // The ops are classified whether or not they break a rule.
        assert_eq!(report.ops.len(), 3);
        if backend == Backend::Postgres {
            assert_eq!(report.ops[2].effect.lock, Some("ACCESS EXCLUSIVE"));
            assert!(report.ops[0].effect.scans);
        }

        // Offline: what could happen, without counts; rules that need the data stay silent.
        let offline = lint::lint::<retort_migrate::AnyDriver>(
            &steps,
            start,
            backend,
            &LintSettings::default(),
            None,
        )
        .await;
        let rules: BTreeSet<Rule> = offline.findings.iter().map(|f| f.rule).collect();
        assert!(rules.contains(&Rule::DropTable));
        assert!(
            !rules.contains(&Rule::NotNullViolation) && !rules.contains(&Rule::ForeignKeyViolation)
        );
        let drop = offline
            .findings
            .iter()
            .find(|f| f.rule == Rule::DropTable)
            .expect("drop-table");
        assert!(
            drop.message.contains("rows unknown (not connected)"),
            "{}",
            drop.message
        );
        Ok(())
    }
);

/// `docs/lint.md` lists exactly the rules of the registry, each with its default level,
/// rationale and safe alternative as the findings print them.
#[test]
fn the_docs_list_every_rule_and_only_those() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lint.md");
    let doc = std::fs::read_to_string(&path).expect("docs/lint.md");
    let documented: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("### `"))
        .filter_map(|l| l.strip_suffix('`'))
        .map(str::to_owned)
        .collect();
    let registry: BTreeSet<String> = Rule::ALL.iter().map(|r| r.id().to_owned()).collect();
    let missing: Vec<_> = registry.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&registry).collect();
    assert!(
        missing.is_empty(),
        "rules missing from docs/lint.md: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "docs/lint.md lists rules the code does not have: {unknown:?}"
    );
    for r in Rule::ALL {
        let info = r.info();
        let start = doc.find(&format!("### `{}`", info.id)).expect("listed");
        let section = &doc[start..];
        let section = &section[..section[4..].find("\n#").map_or(section.len(), |e| e + 4)];
        let level = info.default_severity.map_or("off", |s| s.as_str());
        assert!(
            section.contains(&format!("*{level}* by default")),
            "{}: level {level}",
            info.id
        );
        assert!(
            section.contains(info.why),
            "{}: rationale differs from the code",
            info.id
        );
        assert!(
            section.contains(info.safe),
            "{}: safe alternative differs from the code",
            info.id
        );
    }
}

#[test]
fn lint_settings_come_from_retort_toml_per_environment() {
    let text = "[lint]\nfail_on = \"warning\"\nlarge_table_bytes = 1000\n[lint.rules]\ndrop-column = \"warning\"\nprefer-text-field = \"info\"\n\n[env.dev.lint.rules]\ndrop-table = \"off\"\n\n[env.dev]\nddl_lock_timeout = \"2s\"\n";
    let config = retort_migrate::Config::parse(text, "/x/retort.toml").expect("parses");
    let vars = |_: &str| None;
    let top = config.settings(None, &vars).expect("top level").lint;
    assert_eq!(top.fail_on, Severity::Warning);
    assert_eq!(top.large_table_bytes, 1000);
    assert_eq!(top.severity(Rule::DropColumn), Some(Severity::Warning));
    assert_eq!(top.severity(Rule::DropTable), Some(Severity::Error));
    assert_eq!(top.severity(Rule::PreferTextField), Some(Severity::Info));
    assert_eq!(top.severity(Rule::PreferTimestamptz), None);
    assert!(!top.ddl_lock_timeout);
    let dev = config.settings(Some("dev"), &vars).expect("dev").lint;
    // The environment's rules merge with the top level's, rule by rule.
    assert_eq!(dev.severity(Rule::DropTable), None);
    assert_eq!(dev.severity(Rule::DropColumn), Some(Severity::Warning));
    assert_eq!(dev.fail_on, Severity::Warning);
    assert!(dev.ddl_lock_timeout);

    let bad =
        retort_migrate::Config::parse("[lint.rules]\ndrop-colum = \"warning\"\n", "/x/retort.toml")
            .expect("parses");
    let e = bad
        .settings(None, &vars)
        .expect_err("unknown rule")
        .to_string();
    assert!(
        e.contains("lint.rules.drop-colum") && e.contains("no rule is called"),
        "{e}"
    );
    let bad = retort_migrate::Config::parse("[lint]\nfail_on = \"fatal\"\n", "/x/retort.toml")
        .expect("parses");
    let e = bad
        .settings(None, &vars)
        .expect_err("bad level")
        .to_string();
    assert!(
        e.contains("lint.fail_on") && e.contains("`fatal` is not a level"),
        "{e}"
    );
}

/// A table another session holds locked does not stall the lint: the probe gives up after
/// its lock wait and the finding says it could not be checked.
#[test]
fn a_locked_table_does_not_stall_the_lint() {
    retort_testkit::block_on(async {
        let db = TestDb::postgres("lint::a_locked_table_does_not_stall_the_lint").await;
        let outcome: Result<(), retort_testkit::BoxError> = async {
            let mut op = Operations::new();
            setup(&mut op, true);
            let mut start = MetaData::new();
            db.execute_all(&ops_to_sql(Backend::Postgres, &op.into_ops(), &mut start)?)
                .await?;
            db.execute("INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 10)")
                .await?;
            let mut holder = db.pg_pool().begin().await?;
            sqlx::query("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")
                .execute(&mut *holder)
                .await?;
            let mut op = Operations::new();
            op.drop_table("orders");
            let steps = [RevisionOps {
                revision: "lock".into(),
                path: "versions/lock.rs".into(),
                direction: retort_core::graph::Direction::Upgrade,
                ops: op.into_ops(),
                source: None,
            }];
            let mut d = driver(&db).await;
            let report = lint::lint(
                &steps,
                start,
                Backend::Postgres,
                &LintSettings::default(),
                Some(&mut d),
            )
            .await;
            holder.rollback().await?;
            let f = report
                .findings
                .iter()
                .find(|f| f.rule == Rule::DropTable)
                .expect("drop-table reported");
            assert!(
                f.message.contains("could not be checked") && f.message.contains("lock timeout"),
                "{}",
                f.message
            );
            // The session's own lock_timeout is back.
            let rows =
                retort_migrate::driver::Driver::query_text(&mut d, "SHOW lock_timeout").await?;
            assert_eq!(rows[0][0].as_deref(), Some("0"));
            Ok(())
        }
        .await;
        retort_testkit::finish(db, outcome).await;
    });
}

// The connected checks on MariaDB/MySQL (and the same on the others): NULLs under a new
// NOT NULL, duplicates under a new unique constraint, orphans under a new foreign key, rows a
// new check breaks, row counts of a dropped table and column; each silent where the data
// makes the op harmless (an empty table, a column with no value, keys that hold).
db_test!(
    the_data_checks_count_rows_on_every_backend,
    [postgres, sqlite, mysql],
    |db| {
        let backend = backend(&db);
        let mut op = Operations::new();
        op.create_table("customers", |t| {
            t.column("id", Type::Integer).not_null();
            t.column("email", Type::Varchar(Some(50)));
            t.column("code", Type::Varchar(Some(10)));
            t.column("unused", Type::Varchar(Some(10)));
            t.primary_key(["id"]);
        });
        op.create_table("orders", |t| {
            t.column("id", Type::Integer).not_null();
            t.column("customer_id", Type::Integer);
            t.column("total", Type::Integer);
            t.primary_key(["id"]);
        });
        op.create_table("empty_t", |t| {
            t.column("id", Type::Integer).not_null();
            t.primary_key(["id"]);
        });
        let mut start = MetaData::new();
        db.execute_all(&ops_to_sql(backend, &op.into_ops(), &mut start)?)
            .await?;
        db.execute("INSERT INTO customers (id, email, code) VALUES (1, 'a@x', 'c1'), (2, NULL, 'c2'), (3, 'a@x', 'c3')")
            .await?;
        db.execute("INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 10), (2, 99, -5), (3, NULL, 3)")
            .await?;
        let lint_of = |ops: Vec<retort_core::ops::Op>| {
            [RevisionOps {
                revision: "probe1".into(),
                path: "versions/probe1.rs".into(),
                direction: retort_core::graph::Direction::Upgrade,
                ops,
                source: None,
            }]
        };
        let mut d = driver(&db).await;
        // Every op here breaks its rule on this data.
        let mut op = Operations::new();
        op.alter_column("customers", "email")
            .nullable(false)
            .existing_type(Type::Varchar(Some(50)));
        op.create_unique_constraint("uq_email", "customers", ["email"]);
        op.create_foreign_key("fk_o", "orders", "customers", ["customer_id"], ["id"]);
        op.create_check_constraint("ck_total", "orders", "total >= 0");
        op.drop_column("customers", "code");
        op.drop_table("orders");
        let report = lint::lint(
            &lint_of(op.into_ops()),
            start.clone(),
            backend,
            &LintSettings::default(),
            Some(&mut d),
        )
        .await;
        let message = |r: Rule| {
            report
                .findings
                .iter()
                .find(|f| f.rule == r)
                .map(|f| f.message.clone())
                .unwrap_or_else(|| panic!("{r} missing on {backend:?}: {:?}", report.findings))
        };
        for (rule, expected) in [
            (Rule::NotNullViolation, "1 rows where email is NULL (id: 2)"),
            (
                Rule::UniqueViolation,
                "1 duplicated value of (email), e.g. (a@x) x2",
            ),
            (
                Rule::ForeignKeyViolation,
                "1 row refer to no row of customers (id: 2)",
            ),
            (Rule::CheckViolation, "(id: 2)"),
            (Rule::DropColumn, "3 rows hold a value in code"),
            (Rule::DropTable, "the table holds 3 rows"),
        ] {
            let m = message(rule);
            assert!(m.contains(expected), "{rule} on {backend:?}: {m}");
        }

        // The same ops where the data holds: nothing of the data rules is reported.
        db.execute("UPDATE customers SET email = 'b@x' WHERE id = 2")
            .await?;
        db.execute("UPDATE customers SET email = 'c@x' WHERE id = 3")
            .await?;
        db.execute("DELETE FROM orders WHERE id = 2").await?;
        let mut op = Operations::new();
        op.alter_column("customers", "email")
            .nullable(false)
            .existing_type(Type::Varchar(Some(50)));
        op.create_unique_constraint("uq_email", "customers", ["email"]);
        op.create_foreign_key("fk_o", "orders", "customers", ["customer_id"], ["id"]);
        op.create_check_constraint("ck_total", "orders", "total >= 0");
        op.drop_column("customers", "unused");
        op.drop_table("empty_t");
        let report = lint::lint(
            &lint_of(op.into_ops()),
            start,
            backend,
            &LintSettings::default(),
            Some(&mut d),
        )
        .await;
        let data_rules = [
            Rule::NotNullViolation,
            Rule::UniqueViolation,
            Rule::ForeignKeyViolation,
            Rule::CheckViolation,
            Rule::DropColumn,
            Rule::DropTable,
        ];
        let reported: Vec<_> = report
            .findings
            .iter()
            .filter(|f| data_rules.contains(&f.rule))
            .collect();
        assert!(reported.is_empty(), "{backend:?}: {reported:?}");
        Ok(())
    }
);

/// One MySQL/MariaDB case: the ops, the rule they must raise (`None`: not the MySQL rule),
/// and whether the server is asked to run them with `ALGORITHM=INPLACE, LOCK=NONE`.
struct MysqlCase {
    name: &'static str,
    ops: fn(&mut Operations),
    fires: Option<Rule>,
    ask_server: bool,
}

// The ALTERs MySQL/MariaDB cannot run online are named by `mysql-copying-alter`, and the
// server agrees: each refused with `ALGORITHM=INPLACE, LOCK=NONE`. Their safe forms are
// silent, and the server runs them so; the same change on an empty table is silent too
// (nothing to copy).
db_test!(
    mysql_alters_that_copy_the_table_are_named_as_the_server_refuses_them,
    [mysql],
    |db| {
        use retort_core::ops::ConstraintKind;
        let backend = Backend::Mysql;
        let mut op = Operations::new();
        op.create_table("customers", |t| {
            t.column("id", Type::Integer).not_null();
            t.column("score", Type::Integer);
            t.column("email", Type::Varchar(Some(50)));
            t.column("short", Type::Varchar(Some(50)));
            t.column("long", Type::Varchar(Some(100)));
            t.column("note", Type::Varchar(Some(20)));
            t.primary_key(["id"]);
        });
        op.create_table("orders", |t| {
            t.column("id", Type::Integer).not_null();
            t.column("customer_id", Type::Integer);
            t.column("total", Type::Integer);
            t.primary_key(["id"]);
        });
        op.create_table("keyed", |t| {
            t.column("a", Type::Integer).not_null();
            t.primary_key(["a"]).name("pk_keyed");
        });
        op.create_table("empty_t", |t| {
            t.column("id", Type::Integer).not_null();
            t.column("score", Type::Integer);
            t.primary_key(["id"]);
        });
        let mut start = MetaData::new();
        db.execute_all(&ops_to_sql(backend, &op.into_ops(), &mut start)?)
            .await?;
        db.execute("INSERT INTO customers (id, score, email, short, `long`, note) VALUES (1, 1, 'a', 'b', 'c', 'd'), (2, 2, 'e', 'f', 'g', 'h')").await?;
        db.execute("INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 10)")
            .await?;
        db.execute("INSERT INTO keyed (a) VALUES (1)").await?;
        use Rule::MysqlCopyingAlter as Copying;
        let cases = [
            MysqlCase {
                name: "integer to bigint",
                ops: |op| {
                    op.alter_column("customers", "score")
                        .type_(Type::BigInt)
                        .existing_type(Type::Integer);
                },
                fires: Some(Copying),
                ask_server: true,
            },
            MysqlCase {
                name: "varchar(50) to varchar(100): a longer length prefix",
                ops: |op| {
                    op.alter_column("customers", "email")
                        .type_(Type::Varchar(Some(100)))
                        .existing_type(Type::Varchar(Some(50)));
                },
                fires: Some(Copying),
                ask_server: true,
            },
            MysqlCase {
                name: "a foreign key",
                ops: |op| {
                    op.create_foreign_key(
                        "fk_orders_customer",
                        "orders",
                        "customers",
                        ["customer_id"],
                        ["id"],
                    );
                },
                fires: Some(Copying),
                ask_server: true,
            },
            MysqlCase {
                name: "a check",
                ops: |op| {
                    op.create_check_constraint("ck_total", "orders", "total > 0");
                },
                fires: Some(Copying),
                ask_server: true,
            },
            MysqlCase {
                name: "the primary key dropped",
                ops: |op| {
                    op.drop_constraint("pk_keyed", "keyed", ConstraintKind::PrimaryKey);
                },
                fires: Some(Copying),
                ask_server: true,
            },
            MysqlCase {
                name: "a column with a volatile default",
                ops: |op| {
                    op.add_column(
                        "orders",
                        Column::new("token", Type::Varchar(Some(36)))
                            .server_default(ServerDefault::Expr("(UUID())".into())),
                    );
                },
                fires: Some(Copying),
                ask_server: true,
            },
            MysqlCase {
                name: "a stored generated column",
                ops: |op| {
                    op.add_column(
                        "orders",
                        Column::new("double_total", Type::Integer)
                            .computed(Computed::stored("total * 2")),
                    );
                },
                fires: Some(Copying),
                ask_server: true,
            },
            MysqlCase {
                name: "a virtual generated column",
                ops: |op| {
                    op.add_column(
                        "orders",
                        Column::new("half_total", Type::Integer)
                            .computed(Computed::virtual_("total / 2")),
                    );
                },
                fires: None,
                ask_server: true,
            },
            // The safe forms.
            MysqlCase {
                name: "varchar(50) to varchar(60): the same length prefix",
                ops: |op| {
                    op.alter_column("customers", "short")
                        .type_(Type::Varchar(Some(60)))
                        .existing_type(Type::Varchar(Some(50)));
                },
                fires: None,
                ask_server: true,
            },
            MysqlCase {
                name: "varchar(100) to varchar(200): the same length prefix",
                ops: |op| {
                    op.alter_column("customers", "long")
                        .type_(Type::Varchar(Some(200)))
                        .existing_type(Type::Varchar(Some(100)));
                },
                fires: None,
                ask_server: true,
            },
            MysqlCase {
                name: "NOT NULL set",
                ops: |op| {
                    op.alter_column("customers", "note")
                        .nullable(false)
                        .existing_type(Type::Varchar(Some(20)));
                },
                fires: None,
                ask_server: true,
            },
            MysqlCase {
                name: "a nullable column added",
                ops: |op| {
                    op.add_column("orders", Column::new("memo", Type::Text));
                },
                fires: None,
                ask_server: true,
            },
            MysqlCase {
                name: "an index",
                ops: |op| {
                    op.create_index("ix_orders_total", "orders", ["total"]);
                },
                fires: None,
                ask_server: true,
            },
            MysqlCase {
                name: "integer to bigint on an empty table",
                ops: |op| {
                    op.alter_column("empty_t", "score")
                        .type_(Type::BigInt)
                        .existing_type(Type::Integer);
                },
                fires: None,
                ask_server: false,
            },
        ];
        let mut d = driver(&db).await;
        let mut failures = Vec::new();
        for case in &cases {
            let mut op = Operations::new();
            (case.ops)(&mut op);
            let ops = op.into_ops();
            let steps = [RevisionOps {
                revision: "my01".into(),
                path: "versions/my01.rs".into(),
                direction: retort_core::graph::Direction::Upgrade,
                ops: ops.clone(),
                source: None,
            }];
            let report = lint::lint(
                &steps,
                start.clone(),
                backend,
                &LintSettings::default(),
                Some(&mut d),
            )
            .await;
            let found: Vec<Rule> = report
                .findings
                .iter()
                .map(|f| f.rule)
                .filter(|r| *r == Copying)
                .collect();
            let expected: Vec<Rule> = case.fires.into_iter().collect();
            if found != expected {
                failures.push(format!(
                    "{}: expected {expected:?}, found {:?}",
                    case.name, report.findings
                ));
            }
            if let Some(f) = report.findings.iter().find(|f| Some(f.rule) == case.fires) {
                assert!(
                    f.safe_alternative().contains("pt-online-schema-change"),
                    "{}: {}",
                    case.name,
                    f.safe_alternative()
                );
            }
            if !case.ask_server {
                continue;
            }
            // The server's word: every ALTER with the online clauses.
            let mut schema = start.clone();
            let mut refused = None;
            for sql in ops_to_sql(backend, &ops, &mut schema)? {
                let online = if sql.starts_with("ALTER TABLE") {
                    format!("{sql}, ALGORITHM=INPLACE, LOCK=NONE")
                } else if sql.starts_with("CREATE INDEX") {
                    format!("{sql} ALGORITHM=INPLACE LOCK=NONE")
                } else {
                    sql.clone()
                };
                if let Err(e) = db.execute(&online).await {
                    refused = Some(e.to_string());
                    break;
                }
            }
            match (&case.fires, &refused) {
                (Some(_), None) => failures.push(format!(
                    "{}: the server ran it with ALGORITHM=INPLACE, LOCK=NONE",
                    case.name
                )),
                (Some(_), Some(e)) if !e.contains("not supported") => {
                    failures.push(format!("{}: refused for another reason: {e}", case.name))
                }
                (None, Some(e)) => failures.push(format!(
                    "{}: refused with ALGORITHM=INPLACE, LOCK=NONE: {e}",
                    case.name
                )),
                _ => {}
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        Ok(())
    }
);

//! `revision --autogenerate` and `check` on PostgreSQL: live and `--offline` write the same
//! revision for the same history, the same inputs write the same bytes, "nothing to do"
//! writes nothing unless asked, a database behind the history is refused, and the
//! `[autogenerate]` filters of `retort.toml` and the environment's `include_object` hook
//! leave objects out. The seed tutorial itself runs in `ecommerce-migrations`' tests.

use std::path::{Path, PathBuf};

use retort_cli::Environment;
use retort_core::ops::Operations;
use retort_core::schema::{Column, Type};
use retort_core::MetaData;
use retort_migrate::{Migrator, Script};

use crate::support::{database, linear, mysql_database, run, Outcome, R1, R2};

/// A migrations folder with `retort.toml` (plus `extra` TOML) and an empty `versions/`.
fn project(extra: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("retort.toml");
    std::fs::write(
        &config,
        format!("script_location = \".\"\npost_write_hook = \"none\"\n{extra}"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("versions")).unwrap();
    (dir, config.display().to_string())
}

fn written(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("versions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The text of the only revision written, its `Create Date` (seconds of the wall clock)
/// blanked.
fn only_revision(dir: &Path) -> String {
    let files = written(dir);
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::read_to_string(&files[0])
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("//! Create Date:") {
                "//! Create Date: <date>"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// R1 <- R2: customers, then orders.
fn history() -> Vec<Script> {
    linear().into_iter().take(2).collect()
}

/// The schema `scripts` build, then `change` on top: a model as a user would write it.
fn model(scripts: &[Script], change: impl FnOnce(&mut Operations)) -> MetaData {
    let migrator = Migrator::new(scripts.to_vec()).unwrap();
    let mut md = migrator.schema_at(&migrator.graph().heads());
    let mut ops = Operations::new();
    change(&mut ops);
    for op in ops.into_ops() {
        op.apply(&mut md).unwrap();
    }
    md
}

fn add_phone_and_products(op: &mut Operations) {
    op.add_column("customers", Column::new("phone", Type::Varchar(Some(20))));
    op.create_table("products", |t| {
        t.column("product_id", Type::Integer).not_null();
        t.column(
            "price",
            Type::Numeric {
                precision: Some(10),
                scale: Some(2),
            },
        )
        .not_null();
        t.primary_key(["product_id"]);
    });
}

fn cli(env: &Environment, config: &str, url: &str, args: &[&str]) -> Outcome {
    let mut full = vec!["-c", config, "--url", url];
    full.extend_from_slice(args);
    run(env, &full, &[])
}

#[test]
fn offline_writes_what_live_writes_and_the_same_inputs_the_same_bytes() {
    let db = database("cli_autogenerate_offline_equals_live");
    let env = Environment::new(model(&history(), add_phone_and_products), history());
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);

    let args = [
        "revision",
        "--autogenerate",
        "-m",
        "phone and products",
        "--rev-id",
        "aaaa0000bbbb",
    ];
    let mut texts = Vec::new();
    for offline in [false, false, true] {
        let (dir, config) = project("");
        let mut argv = args.to_vec();
        if offline {
            argv.push("--offline");
        }
        // Offline never connects: an unreachable URL proves it.
        let url = if offline {
            "postgres://nobody@127.0.0.1:1/none"
        } else {
            db.url()
        };
        let out = cli(&env, &config, url, &argv);
        assert_eq!(out.code, 0, "{}", out.render());
        assert_eq!(
            out.stderr
                .lines()
                .filter(|l| l.starts_with("Detected"))
                .collect::<Vec<_>>(),
            // Kept tables are altered before new ones are created (the diff's phases).
            [
                "Detected added column 'customers.phone'",
                "Detected added table 'products'"
            ],
            "{}",
            out.render()
        );
        texts.push(only_revision(dir.path()));
    }
    assert_eq!(texts[0], texts[1], "two live runs differ");
    assert_eq!(texts[0], texts[2], "offline differs from live");
    let text = &texts[0];
    assert!(
        text.contains(&format!(".down_revision(\"{R2}\")")),
        "{text}"
    );
    assert!(text.contains("op.create_table(\"products\""), "{text}");
    assert!(
        text.contains("op.add_column(") && text.contains("\"phone\""),
        "{text}"
    );
    assert!(text.contains("op.drop_table(\"products\")"), "{text}");
    assert!(
        text.contains("op.drop_column(\"customers\", \"phone\")"),
        "{text}"
    );
    drop(dir);
    db.close();
}

#[test]
fn nothing_to_do_writes_nothing_unless_asked() {
    let db = database("cli_autogenerate_nothing_to_do");
    let env = Environment::new(model(&history(), |_| {}), history());
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);

    for extra in [None, Some("--offline")] {
        let mut argv = vec!["revision", "--autogenerate", "-m", "nothing"];
        argv.extend(extra);
        let out = cli(&env, &config, db.url(), &argv);
        assert_eq!(out.code, 0, "{}", out.render());
        assert_eq!(
            out.stdout,
            "No changes in schema detected; no revision written (pass --allow-empty to write an empty one).\n"
        );
        assert!(written(dir.path()).is_empty());
        let mut check = vec!["check"];
        check.extend(extra);
        let out = cli(&env, &config, db.url(), &check);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, "No new upgrade operations detected.\n")
        );
    }

    let argv = ["revision", "--autogenerate", "--allow-empty", "-m", "empty"];
    let out = cli(&env, &config, db.url(), &argv);
    assert_eq!(out.code, 0, "{}", out.render());
    let text = only_revision(dir.path());
    assert!(text.contains("// commands auto generated by retort - please adjust!\n    let _ = op;\n    // end retort commands"), "{text}");
    db.close();
}

#[test]
fn a_database_behind_the_history_is_refused() {
    let db = database("cli_autogenerate_not_up_to_date");
    let env = Environment::new(model(&history(), add_phone_and_products), history());
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", R1]).code, 0);
    for argv in [
        &["revision", "--autogenerate", "-m", "x"][..],
        &["check"][..],
    ] {
        let out = cli(&env, &config, db.url(), argv);
        assert_eq!(out.code, 1, "{}", out.render());
        let expected = format!(
            "Target database is not up to date: it is at {R1}, the new revision builds on {R2}"
        );
        assert!(out.stderr.contains(&expected), "{}", out.render());
        assert!(
            out.stderr.contains("run `upgrade head` first"),
            "{}",
            out.render()
        );
    }
    assert!(written(dir.path()).is_empty());
    db.close();
}

#[test]
fn filters_in_retort_toml_and_the_include_object_hook_leave_objects_out() {
    let db = database("cli_autogenerate_filters");
    let change = |op: &mut Operations| {
        add_phone_and_products(op);
        op.create_table("tmp_scratch", |t| {
            t.column("x", Type::Integer);
        });
        op.create_table("audit_log", |t| {
            t.column("y", Type::Text);
        });
    };
    let env = Environment::new(model(&history(), change), history());
    let (_dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);

    // Without filters every change is listed, in op order.
    let out = cli(&env, &config, db.url(), &["check"]);
    assert_eq!(out.code, 4, "{}", out.render());
    for t in ["products", "tmp_scratch", "audit_log"] {
        assert!(
            out.stdout.contains(&format!("Detected added table '{t}'")),
            "{}",
            out.render()
        );
    }

    // exclude_tables leaves out tmp_*, the hook audit_log; both live and offline.
    let (_dir, config) = project("\n[autogenerate]\nexclude_tables = [\"tmp_*\"]\n");
    let hooked = env.clone().include_object(|o| o.name != Some("audit_log"));
    for extra in [None, Some("--offline")] {
        let mut argv = vec!["check"];
        argv.extend(extra);
        let out = cli(&hooked, &config, db.url(), &argv);
        assert_eq!(out.code, 4, "{}", out.render());
        assert_eq!(
            out.stdout,
            "Detected added column 'customers.phone'\nDetected added table 'products'\n",
            "{argv:?}"
        );
        assert!(
            out.stderr
                .contains("New upgrade operations detected: 2 differences"),
            "{}",
            out.render()
        );
    }

    // compare_type = false hides a type change; on, it is found.
    let widened = Environment::new(
        model(&history(), |op| {
            op.alter_column("customers", "email_address")
                .type_(Type::Text)
                .existing_type(Type::Varchar(None));
        }),
        history(),
    );
    let out = cli(&widened, &config, db.url(), &["check"]);
    assert_eq!(out.code, 4, "{}", out.render());
    assert!(out.stdout.contains("email_address"), "{}", out.render());
    let (_dir, config) = project("\n[autogenerate]\ncompare_type = false\n");
    let out = cli(&widened, &config, db.url(), &["check"]);
    assert_eq!(out.code, 0, "{}", out.render());
    db.close();
}

#[test]
fn offline_says_what_a_replay_cannot_see() {
    // R3 creates an index with raw SQL: the replayed history cannot know it.
    let scripts = linear();
    let env = Environment::new(model(&scripts, |_| {}), scripts);
    let (_dir, config) = project("");
    let out = cli(
        &env,
        &config,
        "postgres://nobody@127.0.0.1:1/none",
        &["check", "--offline"],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr
            .contains("runs raw SQL (op.execute), which a replayed history cannot see"),
        "{}",
        out.render()
    );
}

#[test]
fn a_possible_rename_is_pointed_out_in_the_output_and_the_script() {
    let db = database("cli_autogenerate_rename_hint");
    let renamed = |op: &mut Operations| {
        op.alter_column("customers", "email_address")
            .new_column_name("email");
    };
    let env = Environment::new(model(&history(), renamed), history());
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);
    // `check` counts the two differences (a drop and an add), not the hint beside them,
    // which it prints as a warning (issue 13, item 5).
    let out = cli(&env, &config, db.url(), &["check"]);
    assert_eq!(out.code, 4, "{}", out.render());
    assert!(
        out.stderr.contains(
            "New upgrade operations detected: 2 differences between the model and the database"
        ),
        "{}",
        out.render()
    );
    assert!(
        out.stderr
            .contains("warning: column customers.email_address is dropped"),
        "{}",
        out.render()
    );
    let out = cli(
        &env,
        &config,
        db.url(),
        &["revision", "--autogenerate", "-m", "rename?"],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains(
            "warning: column customers.email_address is dropped and column customers.email added with the same shape"
        ),
        "{}",
        out.render()
    );
    let text = only_revision(dir.path());
    assert!(
        text.contains("// Renamed? column customers.email_address was dropped"),
        "{text}"
    );
    db.close();
}

/// A name the model states that PostgreSQL would cut (over 63 bytes) is refused by `check`
/// and `revision --autogenerate`, live and offline, naming the column and what to do, with
/// exit code 2 and no file written, instead of failing first at `upgrade` (issue 10, item
/// 10). SQLite keeps any length: the same model is only a difference there.
#[test]
fn names_postgresql_would_cut_are_refused_with_the_fix() {
    let long = "c".repeat(64);
    let add_long = |op: &mut Operations| {
        op.add_column("customers", Column::new(&*long, Type::Integer));
    };
    let env = Environment::new(model(&history(), add_long), history());
    let db = database("cli_autogenerate_long_names");
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);
    for url in [db.url(), "postgres://nobody@127.0.0.1:1/none"] {
        let offline = url != db.url();
        for command in [
            vec!["check"],
            vec!["revision", "--autogenerate", "-m", "long"],
        ] {
            let mut argv = command.clone();
            if offline {
                argv.push("--offline");
            }
            let out = cli(&env, &config, url, &argv);
            assert_eq!(out.code, 2, "{argv:?}: {}", out.render());
            assert!(
                out.stderr.contains(&format!(
                    "column `customers.{long}` is 64 bytes long: give the column a shorter name"
                )) && out.stderr.contains("at most 63 bytes"),
                "{argv:?}: {}",
                out.render()
            );
            assert!(written(dir.path()).is_empty(), "{argv:?} wrote a revision");
        }
    }
    let sqlite = dir.path().join("long.db");
    let out = cli(
        &env,
        &config,
        &format!("sqlite://{}", sqlite.display()),
        &["check", "--offline"],
    );
    assert_eq!(out.code, 4, "{}", out.render());
    db.close();
}

#[test]
fn dropping_a_table_with_a_trigger_is_refused_with_exit_code_2_naming_it() {
    let db = database("cli_autogenerate_trigger_refused");
    // The model no longer has `orders`, which has a trigger made by hand.
    let env = Environment::new(
        model(&history(), |op| {
            op.drop_table("orders");
        }),
        history(),
    );
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);
    db.execute(
        "CREATE FUNCTION stamp_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    );
    db.execute(
        "CREATE TRIGGER orders_stamp BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION stamp_order()",
    );
    for args in [
        &["check"][..],
        &["revision", "--autogenerate", "-m", "drop orders"][..],
    ] {
        let out = cli(&env, &config, db.url(), args);
        let text = out.render();
        assert_eq!(out.code, 2, "{args:?}: {text}");
        for needle in ["table orders", "trigger orders_stamp", "exclude_tables"] {
            assert!(out.stderr.contains(needle), "{args:?}: {needle}: {text}");
        }
    }
    assert!(written(dir.path()).is_empty(), "a revision was written");
    assert_eq!(
        db.query("SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal"),
        vec!["orders_stamp"]
    );
    db.close();
}

/// `revision --autogenerate` lints the revision it wrote on the database it compared with
/// and prints the findings as warnings, with the file and line of each op; the revision
/// is written all the same (exit 0), and no drop is marked `.data_loss_ok()`.
#[test]
fn the_lint_findings_of_the_written_revision_are_printed() {
    let db = database("cli_autogenerate_lint_warnings");
    let no_orders = |op: &mut Operations| {
        op.drop_table("orders");
        op.alter_column("customers", "email_address")
            .type_(Type::Varchar(Some(20)))
            .existing_type(Type::Varchar(None));
    };
    let env = Environment::new(model(&history(), no_orders), history());
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);
    db.execute("INSERT INTO customers (email_address) VALUES ('a@x'), ('b@x')");
    db.execute("INSERT INTO orders (customer_id) SELECT customer_id FROM customers");
    let out = cli(
        &env,
        &config,
        db.url(),
        &["revision", "--autogenerate", "-m", "drop orders"],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let files = written(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0]
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name")
        .to_owned();
    let id = name.split('_').next().expect("id").to_owned();
    let text = only_revision(dir.path());
    assert!(!text.contains("data_loss_ok"), "{text}");
    let rendered = out
        .render()
        .replace(&name, "<rev>_drop_orders.rs")
        .replace(&id, "<rev>")
        .replace(db.name(), "<db>")
        .replace(&config, "<config>")
        .replace(&dir.path().display().to_string(), "<dir>");
    insta::assert_snapshot!("autogenerate_prints_the_lint_findings", rendered);
    db.close();
}

/// On MariaDB, `revision --autogenerate --online` writes an index built on an existing table
/// `.concurrently()` (run as `ALGORITHM=INPLACE LOCK=NONE`), says that the other ops are
/// written plainly, and the lint it prints names the check that copies the table
/// (`mysql-copying-alter`) with the tools to use instead; without `--online` the index is
/// plain.
#[test]
fn online_on_mariadb_builds_indexes_in_place_and_names_the_alters_that_copy() {
    let db = mysql_database("cli_autogenerate_online_mariadb");
    let env = Environment::new(
        model(&history(), |op| {
            op.create_index("ix_customers_email", "customers", ["email_address"]);
            op.create_check_constraint("ck_customers_id_positive", "customers", "customer_id > 0");
        }),
        history(),
    );
    let (_dir, config) = project("");
    let up = cli(&env, &config, db.url(), &["upgrade", "head"]);
    assert_eq!(up.code, 0, "{}", up.render());
    db.execute("INSERT INTO customers (email_address) VALUES ('a@x')");
    let argv = ["revision", "--autogenerate", "-m", "online"];

    let (plain_dir, plain_config) = project("");
    let out = cli(&env, &plain_config, db.url(), &argv);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(!only_revision(plain_dir.path()).contains("concurrently"));

    let (dir, config) = project("");
    let mut args = argv.to_vec();
    args.push("--online");
    let out = cli(&env, &config, db.url(), &args);
    assert_eq!(out.code, 0, "{}", out.render());
    for expected in [
        "Online-safe forms written for mysql",
        "the other ops are written plainly, and mysql-copying-alter names each one",
        "[mysql-copying-alter] adds check ck_customers_id_positive",
        "pt-online-schema-change",
    ] {
        assert!(
            out.stderr.contains(expected),
            "{expected}: {}",
            out.render()
        );
    }
    let flat: String = only_revision(dir.path()).split_whitespace().collect();
    assert!(
        flat.contains(".concurrently();"),
        "{}",
        only_revision(dir.path())
    );
    db.close();
}

/// `revision --autogenerate --online` (or `online = true` in the environment) writes the
/// online-safe forms, and the lint it prints for what it wrote is silent on
/// `constraint-missing-not-valid` and `setting-not-null`; without it the plain ops are
/// written and both rules fire (every table counts as large here).
#[test]
fn online_writes_the_safe_forms_and_the_lint_is_silent_on_them() {
    let db = database("cli_autogenerate_online");
    let env = Environment::new(
        model(&history(), |op| {
            op.add_column("customers", Column::new("referrer_id", Type::Integer));
            op.add_column("customers", Column::new("note", Type::Text).not_null());
            op.create_foreign_key(
                "fk_customers_referrer",
                "customers",
                "customers",
                ["referrer_id"],
                ["customer_id"],
            );
            op.create_check_constraint("ck_customers_id_positive", "customers", "customer_id > 0");
        }),
        history(),
    );
    let lint = "[lint]\nlarge_table_bytes = 0\n";
    let (_dir, config) = project(lint);
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);
    // What the history does not know yet: the columns, nullable, with a row.
    db.execute("ALTER TABLE customers ADD COLUMN referrer_id integer, ADD COLUMN note text");
    db.execute("INSERT INTO customers (email_address, note) VALUES ('a@x', 'n')");
    let rules = ["constraint-missing-not-valid", "setting-not-null"];
    let fired = |out: &Outcome| -> Vec<&str> {
        rules
            .iter()
            .copied()
            .filter(|r| out.stderr.contains(&format!("[{r}]")))
            .collect()
    };
    let argv = ["revision", "--autogenerate", "-m", "online"];

    let (plain_dir, plain_config) = project(lint);
    let out = cli(&env, &plain_config, db.url(), &argv);
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(fired(&out), rules, "{}", out.render());
    assert!(!only_revision(plain_dir.path()).contains("not_valid"));

    for (extra, flag) in [("", true), ("[env.prod]\nonline = true\n", false)] {
        let (dir, config) = project(&format!("{lint}{extra}"));
        let mut args = vec![];
        if flag {
            args.extend(argv);
            args.push("--online");
        } else {
            args.extend(["--env", "prod"]);
            args.extend(argv);
        }
        let out = cli(&env, &config, db.url(), &args);
        assert_eq!(out.code, 0, "{}", out.render());
        assert!(fired(&out).is_empty(), "{}", out.render());
        assert!(
            out.stderr
                .contains("Online-safe forms written for postgres"),
            "{}",
            out.render()
        );
        let text = only_revision(dir.path());
        // Compared without whitespace: rustfmt breaks the long calls over lines.
        let flat: String = text.split_whitespace().collect();
        for expected in [
            ".not_valid();",
            "op.validate_constraint(\"fk_customers_referrer\", \"customers\", ConstraintKind::ForeignKey,);",
            "op.validate_constraint(\"ck_customers_id_positive\", \"customers\", ConstraintKind::Check,);",
            "conv(\"customers_note_not_null\")",
        ] {
            let expected: String = expected.split_whitespace().collect();
            assert!(flat.contains(&expected), "{expected}: {text}");
        }
    }
    db.close();
}

/// `--online` on PostgreSQL names a type change that rewrites the table and that add-copy-swap
/// cannot take (here a primary key's own column, and the foreign key's column referring to
/// it): written plainly, never without a word.
#[test]
fn online_names_a_rewriting_type_change_it_cannot_swap() {
    let db = database("cli_autogenerate_online_no_swap");
    let env = Environment::new(
        model(&history(), |op| {
            op.alter_column("customers", "customer_id")
                .type_(Type::BigInt)
                .existing_type(Type::Integer);
            op.alter_column("orders", "customer_id")
                .type_(Type::BigInt)
                .existing_type(Type::Integer);
        }),
        history(),
    );
    let (dir, config) = project("");
    assert_eq!(cli(&env, &config, db.url(), &["upgrade", "head"]).code, 0);
    let out = cli(
        &env,
        &config,
        db.url(),
        &[
            "revision",
            "--autogenerate",
            "-m",
            "bigger keys",
            "--online",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains(
            "customers.customer_id: the type change stays a plain ALTER COLUMN .. TYPE, which rewrites the table under an ACCESS EXCLUSIVE lock"
        ),
        "{}",
        out.render()
    );
    assert!(
        out.stderr
            .contains("orders.customer_id: the type change stays a plain ALTER COLUMN"),
        "{}",
        out.render()
    );
    assert!(
        !only_revision(dir.path()).contains("swap_column_type"),
        "written plainly"
    );
    db.close();
}

fn add_memo(op: &mut Operations) {
    op.add_column("customers", Column::new("memo", Type::Text));
}
fn drop_memo(op: &mut Operations) {
    op.drop_column("customers", "memo");
}

/// `online = true` in the environment reaches `upgrade` on MySQL/MariaDB: its `--sql` shows
/// the added column with `ALGORITHM=INSTANT` (the runner sends the same statements), and
/// without it the plain ALTER.
#[test]
fn online_true_sends_mysql_alters_in_their_online_form() {
    use retort_core::graph::Revision;
    let mut scripts = history();
    scripts.push(crate::support::script(
        Revision::new("0a1100000003")
            .message("memo")
            .down_revision(R2),
        add_memo,
        drop_memo,
        "versions/0a1100000003_memo.rs",
    ));
    let env = Environment::new(MetaData::new(), scripts);
    let url = "mysql://root@127.0.0.1:3306/offline_only";
    let argv = ["upgrade", &format!("{R2}:head"), "--sql"].map(str::to_owned);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let (_dir, config) = project("online = true\n");
    let out = cli(&env, &config, url, &argv);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stdout
            .contains("ADD COLUMN memo TEXT, ALGORITHM=INSTANT"),
        "{}",
        out.render()
    );
    let (_dir, config) = project("");
    let out = cli(&env, &config, url, &argv);
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(!out.stdout.contains("ALGORITHM"), "{}", out.render());
}

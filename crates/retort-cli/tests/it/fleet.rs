//! `upgrade`, `current` and `check` over many targets (issue 16, item 6): several `--url`
//! with one that cannot connect, a `--targets` file of SQLite files, and 22 tenant schemas
//! of one PostgreSQL database (`--schemas`). Each checked in the databases, not only in
//! the output.

use crate::support::{database, env, linear, run, with_password, R3};

/// The version of `schema`'s version table, or nothing.
fn tenant_version(db: &crate::support::Db, schema: &str) -> Vec<String> {
    db.query(&format!(
        "SELECT version_num::text FROM \"{schema}\".retort_version ORDER BY 1"
    ))
}

#[test]
fn upgrade_over_urls_reports_each_and_fails_for_the_one_that_failed() {
    let a = database("cli_fleet_urls_a");
    let b = database("cli_fleet_urls_b");
    let env = env(linear());
    let url_a = with_password(a.url());
    let url_b = with_password(b.url());
    // The same server, a database nobody created: the connection fails.
    let missing = format!("{}_missing", a.name());
    let url_bad = url_a.replace(a.name(), &missing);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.tsv");
    let report_arg = report.display().to_string();

    let out = run(
        &env,
        &[
            "--url",
            &url_a,
            "--url",
            &url_bad,
            "--url",
            &url_b,
            "upgrade",
            "head",
            "-j",
            "2",
            "--report",
            &report_arg,
        ],
        &[],
    );
    out.assert_no_secret();
    assert_eq!(out.code, 1, "{}", out.render());
    let ok: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("ok "))
        .collect();
    let failed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("FAILED "))
        .collect();
    assert_eq!((ok.len(), failed.len()), (2, 1), "{}", out.render());
    assert!(failed[0].contains(&missing), "{}", out.render());
    assert!(
        ok.iter()
            .all(|l| l.contains(&format!("at {R3}")) && l.contains("3 steps")),
        "{}",
        out.render()
    );
    assert!(
        out.stderr.contains("1 of 3 targets failed"),
        "{}",
        out.render()
    );
    for db in [&a, &b] {
        assert_eq!(
            db.query("SELECT version_num::text FROM retort_version"),
            vec![R3]
        );
    }
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(!text.contains(crate::support::SECRET), "{text}");
    assert_eq!(text.lines().count(), 4, "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("failed\t")).count(),
        1,
        "{text}"
    );

    // A re-run with --failed-from runs only the failed target.
    let again = dir.path().join("again.tsv");
    let again_arg = again.display().to_string();
    let out = run(
        &env,
        &[
            "--url",
            &url_a,
            "--url",
            &url_bad,
            "--url",
            &url_b,
            "upgrade",
            "head",
            "--failed-from",
            &report_arg,
            "--report",
            &again_arg,
        ],
        &[],
    );
    out.assert_no_secret();
    assert_eq!(out.code, 1, "{}", out.render());
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.render());
    assert!(out.stdout.starts_with("FAILED "), "{}", out.render());

    // A plain re-run: the two at head have nothing to do.
    let out = run(
        &env,
        &["--url", &url_a, "--url", &url_b, "upgrade", "head"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("ok ") && !l.contains("step"))
            .count(),
        2,
        "{}",
        out.render()
    );
    a.close();
    b.close();
}

#[test]
fn upgrade_current_check_over_tenant_schemas() {
    let db = database("cli_fleet_tenants");
    let tenants: Vec<String> = (0..22).map(|i| format!("tenant_{i:02}")).collect();
    for t in &tenants {
        db.execute(&format!("CREATE SCHEMA {t}"));
    }
    // Not a tenant (`_` is not a wildcard), and another schema: both left alone.
    db.execute("CREATE SCHEMA tenantx; CREATE SCHEMA other");
    let env = env(linear());
    let url = with_password(db.url());

    let out = run(
        &env,
        &[
            "--url",
            &url,
            "upgrade",
            "head",
            "--schemas",
            "tenant_*",
            "-j",
            "4",
        ],
        &[],
    );
    out.assert_no_secret();
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        out.stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        22,
        "{}",
        out.render()
    );
    for t in &tenants {
        assert_eq!(tenant_version(&db, t), vec![R3], "{t}");
        assert_eq!(
            db.query(&format!(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = '{t}' ORDER BY 1"
            )),
            vec!["customers", "orders", "retort_log", "retort_version"],
            "{t}"
        );
    }
    assert!(
        db.query("SELECT table_schema::text FROM information_schema.tables WHERE table_schema IN ('public', 'tenantx', 'other')")
            .is_empty(),
        "a tenant's tables went elsewhere"
    );

    // One tenant behind: `current --check-heads` fails for it alone.
    db.execute("UPDATE tenant_07.retort_version SET version_num = 'abcd33334444'");
    let out = run(
        &env,
        &[
            "--url",
            &url,
            "current",
            "--check-heads",
            "--schemas",
            "tenant_*",
        ],
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.render());
    let failed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("FAILED "))
        .collect();
    assert_eq!(failed.len(), 1, "{}", out.render());
    assert!(failed[0].contains("schema tenant_07"), "{}", out.render());

    // `check` with an empty model: every tenant differs (its tables are not in the model).
    db.execute("UPDATE tenant_07.retort_version SET version_num = 'ef0155556666'");
    let out = run(
        &env,
        &[
            "--url",
            &url,
            "check",
            "--schemas",
            "tenant_0*,tenant_1*",
            "-j",
            "3",
        ],
        &[],
    );
    assert_eq!(out.code, 4, "{}", out.render());
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("differs "))
            .count(),
        20,
        "{}",
        out.render()
    );
    db.close();
}

#[test]
fn a_model_naming_a_schema_is_refused_for_tenants() {
    let db = database("cli_fleet_tenant_model");
    db.execute("CREATE SCHEMA tenant_a");
    let mut model = retort_core::MetaData::new();
    model.add_table(retort_core::Table::new("shared").schema("app").column(
        retort_core::Column::new("id", retort_core::schema::Type::Integer),
    ));
    let env = retort_cli::Environment::new(model, linear());
    let out = run(
        &env,
        &[
            "--url",
            db.url(),
            "upgrade",
            "head",
            "--schemas",
            "tenant_*",
        ],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains("table app.shared names a schema"),
        "{}",
        out.render()
    );
    assert!(tenant_version_missing(&db), "nothing may run");
    db.close();
}

fn tenant_version_missing(db: &crate::support::Db) -> bool {
    db.query("SELECT 1::text FROM information_schema.tables WHERE table_schema = 'tenant_a'")
        .is_empty()
}

#[test]
fn upgrade_over_sqlite_files_from_a_targets_file() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = (0..3)
        .map(|i| dir.path().join(format!("t{i}.db")))
        .collect();
    let list = dir.path().join("targets.txt");
    let mut text = String::from("# one tenant a file\n\n");
    for f in &files {
        text.push_str(&format!("sqlite://{}?mode=rwc\n", f.display()));
    }
    std::fs::write(&list, text).unwrap();
    let env = env(linear());
    let list_arg = list.display().to_string();
    let out = run(&env, &["upgrade", "head", "--targets", &list_arg], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        out.stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        3,
        "{}",
        out.render()
    );
    let out = run(&env, &["current", "--targets", &list_arg], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("ok ") && l.contains(&format!("at {R3}")))
            .count(),
        3,
        "{}",
        out.render()
    );
    for f in &files {
        assert!(f.is_file(), "{} not created", f.display());
    }
}

/// `--allow-data-loss` holds for every target as for one: a revision dropping a populated
/// table is refused on each file without it (the guard names the table), and runs with it.
#[test]
fn allow_data_loss_reaches_every_target() {
    use crate::support::script;
    use retort_core::graph::Revision;
    use retort_core::ops::Operations;
    fn fill(op: &mut Operations) {
        op.execute("INSERT INTO customers (email_address) VALUES ('a@x')");
        op.execute("INSERT INTO orders (customer_id) SELECT customer_id FROM customers");
    }
    fn drop_orders(op: &mut Operations) {
        op.drop_table("orders");
    }
    fn nothing(_: &mut Operations) {}
    let mut scripts = linear();
    scripts.push(script(
        Revision::new("f111aaaa2222")
            .message("fill")
            .down_revision(R3),
        fill,
        nothing,
        "versions/f111aaaa2222_fill.rs",
    ));
    scripts.push(script(
        Revision::new("f333bbbb4444")
            .message("drop orders")
            .down_revision("f111aaaa2222"),
        drop_orders,
        nothing,
        "versions/f333bbbb4444_drop_orders.rs",
    ));
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("targets.txt");
    let text: String = (0..2)
        .map(|i| {
            format!(
                "sqlite://{}?mode=rwc\n",
                dir.path().join(format!("t{i}.db")).display()
            )
        })
        .collect();
    std::fs::write(&list, text).unwrap();
    let list_arg = list.display().to_string();
    let env = env(scripts);
    let out = run(&env, &["upgrade", "head", "--targets", &list_arg], &[]);
    assert_eq!(out.code, 1, "{}", out.render());
    assert_eq!(
        out.stdout
            .lines()
            .filter(|l| l.starts_with("FAILED ") && l.contains("orders holds 1 row"))
            .count(),
        2,
        "{}",
        out.render()
    );
    let out = run(
        &env,
        &[
            "upgrade",
            "head",
            "--targets",
            &list_arg,
            "--allow-data-loss",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        out.stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        2,
        "{}",
        out.render()
    );
    // Each loss let through is named, with its target.
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.contains("t0.db") || l.contains("t1.db"))
            .filter(|l| l.contains("orders") && l.contains("1 row"))
            .count(),
        2,
        "{}",
        out.render()
    );
}

/// `check` over many targets prints autogenerate's warnings for each target, with its
/// label, as a single-target `check` prints them (here the rename hint of a table dropped
/// and added with the same shape).
#[test]
fn check_over_many_targets_prints_each_targets_warnings() {
    use retort_core::ops::Operations;
    let migrator = retort_migrate::Migrator::new(linear()).unwrap();
    let mut model = migrator.schema_at(&migrator.graph().heads());
    let mut op = Operations::new();
    op.rename_table("orders", "purchases");
    for o in op.into_ops() {
        o.apply(&mut model).unwrap();
    }
    let env = retort_cli::Environment::new(model, linear());
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..2)
        .map(|i| {
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join(format!("t{i}.db")).display()
            )
        })
        .collect();
    let list = dir.path().join("targets.txt");
    std::fs::write(&list, urls.join("\n") + "\n").unwrap();
    let list_arg = list.display().to_string();
    let out = run(&env, &["upgrade", "head", "--targets", &list_arg], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    let hint = "table orders is dropped and table purchases added with the same shape";

    let one = run(&env, &["--url", &urls[0], "check"], &[]);
    assert_eq!(one.code, 4, "{}", one.render());
    assert!(one.stderr.contains(hint), "{}", one.render());

    let out = run(&env, &["check", "--targets", &list_arg], &[]);
    let warned: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: ") && l.contains(hint))
        .collect();
    assert_eq!(warned.len(), 2, "{}", out.render());
    for (i, line) in warned.iter().enumerate() {
        assert!(
            warned
                .iter()
                .filter(|l| l.contains(&format!("t{i}.db")))
                .count()
                == 1,
            "each target's warning names it: {line}\n{}",
            out.render()
        );
    }
}

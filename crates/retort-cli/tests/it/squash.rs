//! `squash <from> <to>` (issue 16, item 5): a chain of 52 generated revisions, 50 of them
//! squashed and proven on scratch databases (PostgreSQL and SQLite); then the squashed
//! history (what the next build compiles) run against a fresh database, one at the
//! squash's id, one past it and one stopped inside the range; and the refusals (raw SQL,
//! a branch point) and the proof's own failure.

use std::path::{Path, PathBuf};

use retort_core::graph::Revision;
use retort_core::ops::{reverse_all, Operations};
use retort_core::schema::Type;
use retort_core::{Column, View};
use retort_migrate::squash;
use retort_migrate::{AnyDriver, Backend, DatabaseUrl, Migrator, Script};

use crate::support::{branchy, database, env, linear, run, script};

/// Revisions in the generated chain; the squash takes the first `SQUASHED`.
const CHAIN: usize = 52;
const SQUASHED: usize = 50;

fn id(i: usize) -> &'static str {
    Box::leak(format!("5a{i:010x}").into_boxed_str())
}

fn path(i: usize) -> &'static str {
    Box::leak(format!("versions/{}_step_{i}.rs", id(i)).into_boxed_str())
}

/// What revision `i` of the chain records: tables created, columns added and dropped
/// again, indexes, views.
fn step(i: usize, op: &mut Operations) {
    let t = |k: usize| format!("t{}", i - k);
    match i % 5 {
        0 => {
            op.create_table(format!("t{i}"), |t| {
                t.column("id", Type::Integer).not_null();
                t.column("name", Type::Varchar(Some(50)));
                t.primary_key(["id"]);
            });
        }
        1 => {
            op.add_column(t(1), Column::new(format!("c{i}"), Type::Integer));
        }
        2 => {
            op.create_index(format!("ix_{i}"), t(2), ["name"]);
        }
        3 => {
            op.add_column(
                t(3),
                Column::new(format!("tmp{i}"), Type::Varchar(Some(20))),
            );
        }
        _ => {
            op.drop_column(t(4), format!("tmp{}", i - 1))
                .existing(Column::new(
                    format!("tmp{}", i - 1),
                    Type::Varchar(Some(20)),
                ));
            if i % 10 == 4 {
                op.create_entity(View::new(
                    format!("v{i}"),
                    format!("SELECT id, name FROM {}", t(4)),
                ));
            }
        }
    }
}

fn up<const N: usize>(op: &mut Operations) {
    step(N, op);
}

fn down<const N: usize>(op: &mut Operations) {
    let mut rec = Operations::new();
    step(N, &mut rec);
    for o in reverse_all(&rec.into_ops()).expect("every step reverses") {
        op.push(o);
    }
}

macro_rules! chain_fns {
    ($($n:literal)*) => {
        [$((up::<$n> as fn(&mut Operations), down::<$n> as fn(&mut Operations))),*]
    };
}

fn chain() -> Vec<Script> {
    let fns = chain_fns!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27
        28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51);
    assert_eq!(fns.len(), CHAIN);
    fns.into_iter()
        .enumerate()
        .map(|(i, (u, d))| {
            let mut r = Revision::new(id(i)).message("step");
            if i > 0 {
                r = r.down_revision(id(i - 1));
            }
            script(r, u, d, path(i))
        })
        .collect()
}

/// A project folder with retort.toml and the chain's files in versions/.
fn project(scripts: &[Script]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("retort.toml");
    std::fs::write(
        &config,
        "script_location = \".\"\npost_write_hook = \"none\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("versions")).unwrap();
    for s in scripts {
        std::fs::write(dir.path().join(s.path), format!("// {}\n", s.revision.id)).unwrap();
    }
    (dir, config)
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Squashes the first 50 revisions of the chain through the command line against `url`,
/// and checks what it wrote.
fn squash_the_chain(url: &str) {
    let scripts = chain();
    let (dir, config) = project(&scripts);
    let env = env(scripts);
    let out = run(
        &env,
        &[
            "-c",
            config.to_str().unwrap(),
            "--url",
            url,
            "squash",
            "base",
            id(SQUASHED - 1),
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains("Proving it on two scratch"),
        "{}",
        out.render()
    );
    assert!(
        out.stderr
            .contains("Proven: both scratch databases hold the same schema"),
        "{}",
        out.render()
    );
    let versions = dir.path().join("versions");
    let kept = files(&versions.join("squashed"));
    assert_eq!(kept.len(), SQUASHED, "{kept:?}");
    let left: Vec<String> = files(&versions)
        .into_iter()
        .filter(|f| f != "squashed")
        .collect();
    assert_eq!(left.len(), CHAIN - SQUASHED + 1, "{left:?}");
    let text = std::fs::read_to_string(dir.path().join(path(SQUASHED - 1))).unwrap();
    assert!(
        text.contains(&format!("Revision::new(\"{}\")", id(SQUASHED - 1))),
        "{text}"
    );
    assert!(
        !text.contains(".down_revision("),
        "the squash is a base: {text}"
    );
    assert!(text.contains(".replaces(&["), "{text}");
    for i in 0..SQUASHED - 1 {
        assert!(
            text.contains(&format!("\"{}\"", id(i))),
            "{} not replaced: {text}",
            id(i)
        );
    }
    // Columns added and dropped again inside the range leave nothing.
    assert!(!text.contains("tmp"), "{text}");
    assert!(text.contains("op.create_table(\"t45\""), "{text}");
    assert!(text.contains("v44"), "{text}");
}

#[test]
fn fifty_revisions_squashed_and_proven_on_postgres() {
    let db = database("squash_fifty_pg");
    squash_the_chain(db.url());
    db.close();
}

#[test]
fn fifty_revisions_squashed_and_proven_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    squash_the_chain(&url);
}

/// The squashed history, as the next build compiles it, over databases left at every
/// kind of place by the old one.
fn databases_after_the_squash(urls: [&str; 4]) {
    let [fresh, at_to, past, inside] = urls;
    let old = env(chain());
    let migrator = Migrator::new(chain()).unwrap();
    let backend = DatabaseUrl::parse(fresh).unwrap().backend();
    let plan = squash::plan(
        &migrator,
        "base",
        id(SQUASHED - 1),
        backend,
        &Default::default(),
        false,
    )
    .unwrap();
    let new = env(squash::squashed_scripts(&migrator, &plan));
    let up = |e: &retort_cli::Environment, url: &str, to: &str| {
        let out = run(e, &["--url", url, "upgrade", to], &[]);
        assert_eq!(out.code, 0, "{}", out.render());
    };
    // Fresh: the squash, then the two after it.
    up(&new, fresh, "head");
    // At <to> and past it through the old chain: the new build takes over, both ways.
    up(&old, at_to, id(SQUASHED - 1));
    up(&new, at_to, "head");
    up(&old, past, "head");
    up(&new, past, "head");
    let out = run(&new, &["--url", past, "downgrade", id(SQUASHED - 1)], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
    up(&new, past, "head");
    for url in [fresh, at_to, past] {
        let out = run(&new, &["--url", url, "current"], &[]);
        assert_eq!(out.code, 0, "{}", out.render());
        assert!(out.stdout.contains(id(CHAIN - 1)), "{}", out.render());
    }
    // Stopped inside the range: refused by name, nothing run.
    up(&old, inside, id(20));
    let out = run(&new, &["--url", inside, "upgrade", "head"], &[]);
    assert_ne!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains(&format!(
            "the database is at revision {}, which revision {} squashed",
            id(20),
            id(SQUASHED - 1)
        )),
        "{}",
        out.render()
    );
    assert!(
        out.stderr.contains("build from before the squash"),
        "{}",
        out.render()
    );
    // Squashed all the way down to the base and back up.
    let out = run(&new, &["--url", past, "downgrade", "base"], &[]);
    assert_eq!(out.code, 0, "{}", out.render());
}

#[test]
fn databases_after_a_squash_on_postgres() {
    let dbs: Vec<_> = (0..4)
        .map(|i| database(&format!("squash_after_pg_{i}")))
        .collect();
    databases_after_the_squash([dbs[0].url(), dbs[1].url(), dbs[2].url(), dbs[3].url()]);
    for db in dbs {
        db.close();
    }
}

#[test]
fn databases_after_a_squash_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..4)
        .map(|i| {
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join(format!("{i}.db")).display()
            )
        })
        .collect();
    databases_after_the_squash([&urls[0], &urls[1], &urls[2], &urls[3]]);
}

#[test]
fn raw_sql_is_refused_by_file_unless_kept() {
    let db = database("squash_raw_pg");
    let scripts = linear();
    let (dir, config) = project(&scripts);
    let env = env(scripts);
    let c = config.to_str().unwrap();
    let out = run(
        &env,
        &["-c", c, "--url", db.url(), "squash", "base", "head"],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr
            .contains("versions/ef0155556666_index_order_dates.rs:")
            && out
                .stderr
                .contains("op.execute(\"CREATE INDEX ix_orders_date"),
        "{}",
        out.render()
    );
    assert_eq!(
        files(&dir.path().join("versions")).len(),
        3,
        "nothing written"
    );
    let out = run(
        &env,
        &[
            "-c",
            c,
            "--url",
            db.url(),
            "squash",
            "base",
            "head",
            "--keep-raw",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    assert!(
        out.stderr.contains("carried into the squash"),
        "{}",
        out.render()
    );
    let text = std::fs::read_to_string(
        dir.path()
            .join("versions/ef0155556666_index_order_dates.rs"),
    )
    .unwrap();
    let create = text
        .find("op.create_table(\"orders\"")
        .expect("orders created");
    let raw = text
        .find("CREATE INDEX ix_orders_date")
        .expect("raw SQL carried");
    assert!(create < raw, "{text}");
    assert!(text.contains("DROP INDEX ix_orders_date"), "{text}");
    db.close();
}

#[test]
fn a_branch_point_in_the_range_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let env = env(branchy());
    let out = run(
        &env,
        &["--url", &url, "squash", "base", "left", "--no-verify"],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr
            .contains("b0000000base (versions/b0000000base_base.rs) is a branch point"),
        "{}",
        out.render()
    );
}

/// The proof fails, listing the difference, when the squash does not build the old
/// chain's schema (here: an op taken out of it).
#[test]
fn the_proof_names_what_differs() {
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let migrator = Migrator::new(chain()).unwrap();
        let mut plan = squash::plan(
            &migrator,
            "base",
            id(9),
            backend,
            &Default::default(),
            false,
        )
        .unwrap();
        let dropped = plan
            .upgrade
            .iter()
            .position(
                |o| matches!(o, retort_core::ops::Op::CreateTable { table } if table.name == "t5"),
            )
            .expect("t5 created in the range");
        plan.upgrade.remove(dropped);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let (dbs, urls) = match backend {
            Backend::Postgres => {
                let a = rt.block_on(retort_testkit::TestDb::postgres("squash_proof_a"));
                let b = rt.block_on(retort_testkit::TestDb::postgres("squash_proof_b"));
                let urls = [a.url().to_owned(), b.url().to_owned()];
                (vec![a, b], urls)
            }
            _ => {
                let f = |n: &str| format!("sqlite://{}?mode=rwc", tmp.path().join(n).display());
                (Vec::new(), [f("a.db"), f("b.db")])
            }
        };
        let err = rt.block_on(async {
            let mut old = AnyDriver::connect(&DatabaseUrl::parse(&urls[0]).unwrap())
                .await
                .unwrap();
            let mut new = AnyDriver::connect(&DatabaseUrl::parse(&urls[1]).unwrap())
                .await
                .unwrap();
            let r = squash::verify(&migrator, &plan, &mut old, &mut new).await;
            let _ = retort_migrate::driver::Driver::close(old).await;
            let _ = retort_migrate::driver::Driver::close(new).await;
            r
        });
        let text = err.expect_err("a table short").to_string();
        assert!(text.contains("does not build the schema"), "{text}");
        assert!(text.contains("t5"), "{text}");
        for db in dbs {
            rt.block_on(db.close()).unwrap();
        }
    }
}

fn seed_up(op: &mut Operations) {
    op.bulk_insert(
        "customers",
        ["email_address"],
        vec![vec![retort_core::Literal::Text("a@example.com".into())]],
    );
}
fn seed_down(op: &mut Operations) {
    op.execute("DELETE FROM customers WHERE email_address = 'a@example.com'");
}

/// Rows a revision inserts (`op.bulk_insert`) are a data migration: replay sees no schema
/// change in them, and the squash must not lose them silently.
#[test]
fn a_data_migration_is_called_out() {
    let mut scripts = linear();
    scripts.truncate(2);
    scripts.push(script(
        Revision::new("f0000000seed")
            .message("seed a customer")
            .down_revision("abcd33334444"),
        seed_up,
        seed_down,
        "versions/f0000000seed_seed.rs",
    ));
    let (dir, config) = project(&scripts);
    let env = env(scripts);
    let c = config.to_str().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let out = run(
        &env,
        &["-c", c, "--url", &url, "squash", "base", "head"],
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.render());
    assert!(
        out.stderr.contains("versions/f0000000seed_seed.rs:")
            && out.stderr.contains("op.bulk_insert(customers"),
        "{}",
        out.render()
    );
    let out = run(
        &env,
        &[
            "-c",
            c,
            "--url",
            &url,
            "squash",
            "base",
            "head",
            "--keep-raw",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.render());
    let text = std::fs::read_to_string(dir.path().join("versions/f0000000seed_seed.rs")).unwrap();
    assert!(text.contains("op.bulk_insert("), "{text}");
    assert!(text.contains("DELETE FROM customers"), "{text}");
}

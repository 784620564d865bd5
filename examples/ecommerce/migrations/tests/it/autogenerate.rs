//! The seed tutorial end to end, through the command line, on PostgreSQL: an empty
//! database; `revision --autogenerate` writes the revision creating customers, products and
//! orders; `upgrade head` dumps exactly as Alembic's seed; `check` is clean; a model change
//! makes `check` fail with exit code 4; `downgrade base` leaves only the bookkeeping tables.
//!
//! Everything happens in a temporary copy of this migrations crate's `retort.toml` and
//! `script.rs.j2` with an empty `versions/`, so the repository's `versions/` is untouched.
//! The written file is compared with `seed_revision.rs` beside this file, which is also
//! compiled into this test (as the migrations binary would compile it after the run): that
//! is what `upgrade head` then runs, and its ops are checked against the repository's
//! hand-written `5cc88b64dda9` (the Alembic seed revision's ops). To accept a deliberate
//! writer change, run with `RETORT_UPDATE_SNAPSHOTS=1` (the one variable that rewrites the files
//! tests compare with; then run again, since the file is also compiled in).

#[rustfmt::skip] // the file is the writer's output, compared byte for byte
#[path = "seed_revision.rs"]
mod seed_revision;

use std::path::{Path, PathBuf};

use retort::cli::Printer;
use retort::core::graph::Direction;
use retort::core::ops::{reverse_all, Operations};
use retort::migrate::{Migrator, Script};
use retort::schema::Column;
use retort::{MetaData, Type};
use retort_testkit::{assert_same_text, normalize_pg_dump, TestDb};

use super::{runtime, IGNORED, ORACLE_DUMP};

const MESSAGE: &str = "Initial commit, created customers, orders and products";
const REV: &str = "5cc88b64dda9";
const GOLDEN: &str = include_str!("seed_revision.rs");
/// The revision after the seed, as `revision --autogenerate` wrote it into versions/.
const SECOND_REV: &str = "e3ed44d6310a";
/// The latest revision (the trigger keeping `order_items.updated_at` current: PostgreSQL's
/// function and trigger, SQLite's own trigger), as `revision --autogenerate` wrote it.
const LATEST: &str =
    include_str!("../../versions/3ea75eaa95a2_keep_order_items_updated_at_current.rs");
const LATEST_REV: &str = "3ea75eaa95a2";
const LATEST_MESSAGE: &str = "Keep order_items.updated_at current";

/// A temporary migrations folder: this crate's `retort.toml` (post-write hook off, so the
/// text does not depend on whether rustfmt is installed) and template, empty `versions/`.
struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("retort-seed-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("versions")).unwrap();
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let toml = std::fs::read_to_string(here.join("retort.toml")).unwrap();
        let toml = toml.replace(
            "post_write_hook = \"rustfmt\"",
            "post_write_hook = \"none\"",
        );
        assert!(toml.contains("post_write_hook = \"none\""), "{toml}");
        std::fs::write(dir.join("retort.toml"), toml).unwrap();
        std::fs::copy(here.join("script.rs.j2"), dir.join("script.rs.j2")).unwrap();
        Project { dir }
    }

    fn config(&self) -> String {
        self.dir.join("retort.toml").display().to_string()
    }

    /// The revision files written so far, sorted.
    fn written(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.join("versions"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(
    env: &retort::Environment,
    project: &Project,
    url: &str,
    args: &[&str],
) -> (u8, String, String) {
    let mut printer = Printer::captured();
    let config = project.config();
    let mut argv = vec!["ecommerce-migrations", "-c", &config, "--url", url];
    argv.extend_from_slice(args);
    let code = retort::cli::execute(argv, env, &mut printer);
    (
        code,
        printer.stdout().to_owned(),
        printer.stderr().to_owned(),
    )
}

/// The file's text with its `Create Date` (the one thing that changes between runs)
/// replaced by the golden file's.
fn with_golden_date(text: &str) -> String {
    let date = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("//! Create Date:"))
            .map(str::to_owned)
            .expect("a Create Date line")
    };
    text.replace(&date(text), &date(GOLDEN))
}

/// The written revision, compiled into this test.
fn seed_script() -> Script {
    Script {
        revision: seed_revision::REVISION,
        upgrade: seed_revision::upgrade,
        downgrade: seed_revision::downgrade,
        path: "versions/5cc88b64dda9_initial_commit_created_customers_orders.rs",
        checksum: "0000000000000000000000000000000000000000000000000000000000000000",
    }
}

fn recorded(f: fn(&mut Operations)) -> Vec<retort::core::ops::Op> {
    let mut ops = Operations::new();
    f(&mut ops);
    ops.into_ops()
}

/// The seed model without `products` and with a new `customers.phone` column.
fn changed_model() -> MetaData {
    let mut model = ecommerce::seed_metadata();
    let mut ops = Operations::new();
    ops.drop_table("products");
    ops.add_column("customers", Column::new("phone", Type::Varchar(Some(20))));
    for op in ops.into_ops() {
        op.apply(&mut model).unwrap();
    }
    model
}

#[test]
fn the_seed_tutorial_end_to_end_on_postgres() {
    let rt = runtime();
    let db = rt.block_on(TestDb::postgres("ecommerce_autogenerate_seed_pg"));
    let url = db.url().to_owned();
    let no_history = retort::Environment::new(ecommerce::seed_metadata(), Vec::<Script>::new());

    // 1. autogenerate against the empty database.
    let live = Project::new("live");
    let args = ["revision", "--autogenerate", "-m", MESSAGE, "--rev-id", REV];
    let (code, out, err) = run(&no_history, &live, &url, &args);
    assert_eq!(code, 0, "{out}{err}");
    let detected: Vec<&str> = err.lines().filter(|l| l.starts_with("Detected")).collect();
    assert_eq!(
        detected,
        [
            "Detected added table 'customers'",
            "Detected added table 'products'",
            "Detected added table 'orders'",
        ],
        "{err}"
    );
    assert!(out.contains("Generating ") && out.contains("done"), "{out}");
    let files = live.written();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        files[0].ends_with("5cc88b64dda9_initial_commit_created_customers_orders.rs"),
        "{files:?}"
    );
    let text = with_golden_date(&text);
    if retort_testkit::update_snapshots() {
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/seed_revision.rs");
        std::fs::write(golden, &text).unwrap();
    } else {
        assert_same_text("seed_revision.rs", GOLDEN, "the written revision", &text);
    }

    // 2. the same inputs give the same file, byte for byte; offline (replaying an empty
    //    history) gives the same file as live.
    let again = Project::new("again");
    let (code, out, err) = run(&no_history, &again, &url, &args);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        with_golden_date(&std::fs::read_to_string(&again.written()[0]).unwrap()),
        text
    );
    let offline = Project::new("offline");
    let mut offline_args = args.to_vec();
    offline_args.push("--offline");
    let (code, out, err) = run(
        &no_history,
        &offline,
        "postgres://nobody@127.0.0.1:1/none",
        &offline_args,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        with_golden_date(&std::fs::read_to_string(&offline.written()[0]).unwrap()),
        text
    );

    // 3. the compiled revision records the oracle's ops (the repository's hand-written
    //    5cc88b64dda9, from Alembic's seed revision), and its downgrade is their reverse.
    let repo = Migrator::new(retort::versions!().scripts).unwrap();
    let (_, oracle_ops) = repo.step_ops(REV, Direction::Upgrade).unwrap();
    let up = recorded(seed_revision::upgrade);
    assert_eq!(up, oracle_ops);
    assert_eq!(
        recorded(seed_revision::downgrade),
        reverse_all(&up).unwrap()
    );

    // 4. upgrade head with the written revision: Alembic's schema exactly.
    let seeded = retort::Environment::new(ecommerce::seed_metadata(), vec![seed_script()]);
    let (code, out, err) = run(&seeded, &live, &url, &["upgrade", "head"]);
    assert_eq!(code, 0, "{out}{err}");
    let oracle = normalize_pg_dump(ORACLE_DUMP, IGNORED);
    let ours = normalize_pg_dump(&rt.block_on(db.pg_dump_schema()).unwrap(), IGNORED);
    assert_same_text(
        "Alembic's pg_dump of the seed",
        &oracle,
        "pg_dump after upgrade head",
        &ours,
    );

    // 5. check is clean, live and offline; autogenerate has nothing to do and says so.
    for extra in [None, Some("--offline")] {
        let mut argv = vec!["check"];
        argv.extend(extra);
        let (code, out, err) = run(&seeded, &live, &url, &argv);
        assert_eq!(code, 0, "{argv:?}: {out}{err}");
        assert_eq!(out, "No new upgrade operations detected.\n", "{argv:?}");
    }
    let nothing = Project::new("nothing");
    let (code, out, err) = run(
        &seeded,
        &nothing,
        &url,
        &["revision", "--autogenerate", "-m", "nothing"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("No changes in schema detected; no revision written"),
        "{out}"
    );
    assert!(nothing.written().is_empty());

    // 6. a changed model: check lists each difference and exits 4, live and offline.
    let changed = retort::Environment::new(changed_model(), vec![seed_script()]);
    for extra in [None, Some("--offline")] {
        let mut argv = vec!["check"];
        argv.extend(extra);
        let (code, out, err) = run(&changed, &live, &url, &argv);
        assert_eq!(code, 4, "{argv:?}: {out}{err}");
        assert_eq!(
            out, "Detected removed table 'products'\nDetected added column 'customers.phone'\n",
            "{argv:?}"
        );
        assert!(
            err.contains("New upgrade operations detected: 2 differences"),
            "{err}"
        );
    }

    // 7. downgrade base leaves only the bookkeeping tables.
    let (code, out, err) = run(&seeded, &live, &url, &["downgrade", "base"]);
    assert_eq!(code, 0, "{out}{err}");
    let tables = rt
        .block_on(db.query_strings(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        ))
        .unwrap();
    assert_eq!(tables, ["retort_log", "retort_version"]);
    rt.block_on(db.close()).unwrap();
}

/// The README flow on SQLite: `upgrade head` with the repository's revision, then `check`
/// is clean live and offline, a changed model fails it with exit code 4, and autogenerate
/// on an empty file writes the same revision as on PostgreSQL.
#[test]
fn check_and_autogenerate_on_sqlite() {
    let rt = runtime();
    let db = rt.block_on(TestDb::sqlite("ecommerce_autogenerate_sqlite"));
    let url = db.url().to_owned();

    let empty = Project::new("sqlite-empty");
    let no_history = retort::Environment::new(ecommerce::seed_metadata(), Vec::<Script>::new());
    let args = ["revision", "--autogenerate", "-m", MESSAGE, "--rev-id", REV];
    let (code, out, err) = run(&no_history, &empty, &url, &args);
    assert_eq!(code, 0, "{out}{err}");
    let text = with_golden_date(&std::fs::read_to_string(&empty.written()[0]).unwrap());
    assert_same_text(
        "seed_revision.rs",
        GOLDEN,
        "the revision written on SQLite",
        &text,
    );

    // The seed's history and model (the revisions after it: tests/it/main.rs).
    let project = Project::new("sqlite");
    let seed_history = || {
        let mut v = retort::versions!();
        v.scripts.retain(|s| s.revision.id == REV);
        v
    };
    let env = retort::Environment::new(ecommerce::seed_metadata(), seed_history());
    let (code, out, err) = run(&env, &project, &url, &["upgrade", "head"]);
    assert_eq!(code, 0, "{out}{err}");
    for extra in [None, Some("--offline")] {
        let mut argv = vec!["check"];
        argv.extend(extra);
        let (code, out, err) = run(&env, &project, &url, &argv);
        assert_eq!(code, 0, "{argv:?}: {out}{err}");
        assert_eq!(out, "No new upgrade operations detected.\n", "{argv:?}");
    }
    let changed = retort::Environment::new(changed_model(), seed_history());
    let (code, out, err) = run(&changed, &project, &url, &["check"]);
    assert_eq!(code, 4, "{out}{err}");
    assert_eq!(
        out,
        "Detected removed table 'products'\nDetected added column 'customers.phone'\n"
    );
    rt.block_on(db.close()).unwrap();
}

/// The real binary, twice, with `SOURCE_DATE_EPOCH` fixing the `Create Date`: the two
/// revision files are identical byte for byte. The binary has the repository's history
/// and the whole model compiled in; the new revision starts a branch from the second
/// revision (`--head e3ed44d6310a --splice`), offline, so it is the repository's latest
/// revision (the `updated_at` triggers, each for its database only) again, to the byte but
/// for its id and date.
#[test]
fn the_binary_writes_byte_identical_revisions() {
    let mut texts = Vec::new();
    for run in ["bytes-1", "bytes-2"] {
        let project = Project::new(run);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecommerce-migrations"))
            .args([
                "-c",
                &project.config(),
                "revision",
                "--autogenerate",
                "--offline",
            ])
            .args([
                "--head",
                SECOND_REV,
                "--splice",
                "-m",
                LATEST_MESSAGE,
                "--rev-id",
                "0123456789ab",
            ])
            .env("SOURCE_DATE_EPOCH", "1795611292")
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let files = project.written();
        assert_eq!(files.len(), 1, "{files:?}");
        texts.push(std::fs::read(&files[0]).unwrap());
    }
    assert_eq!(texts[0], texts[1]);
    let text = String::from_utf8(texts.remove(0)).unwrap();
    assert!(
        text.contains("//! Create Date: 2026-11-25 12:54:52\n"),
        "{text}"
    );
    let latest = LATEST.replace(LATEST_REV, "0123456789ab").replace(
        "//! Create Date: 2026-12-04 04:36:42\n",
        "//! Create Date: 2026-11-25 12:54:52\n",
    );
    assert_same_text(
        "versions/3ea75eaa95a2_..",
        &latest,
        "the written revision",
        &text,
    );
}

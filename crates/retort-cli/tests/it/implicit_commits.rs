//! `upgrade` on MariaDB, which commits every DDL statement on its own: a revision failing
//! half-way is refused by the next run naming the statement, `upgrade --resume` finishes
//! it, and a statement a killed run left in doubt is looked up in the catalog on resume.

use insta::assert_snapshot;
use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_migrate::Script;

use crate::support::{env, mysql_database, run, Db, SECRET};

const H1: &str = "c0ffee000001";
const H2: &str = "c0ffee000002";

fn up_half(op: &mut Operations) {
    op.execute("CREATE TABLE t_a (id INTEGER PRIMARY KEY)");
    op.execute("CREATE TABLE t_b (id INTEGER PRIMARY KEY)");
    op.execute("INSERT INTO t_missing (id) VALUES (1)");
    op.execute("CREATE TABLE t_c (id INTEGER PRIMARY KEY)");
}
fn down_half(op: &mut Operations) {
    op.execute("DROP TABLE t_c");
    op.execute("DROP TABLE t_b");
    op.execute("DROP TABLE t_a");
}
fn up_column(op: &mut Operations) {
    op.execute("ALTER TABLE t_a ADD COLUMN extra INTEGER");
    op.execute("CREATE TABLE t_d (id INTEGER PRIMARY KEY)");
}
fn down_column(op: &mut Operations) {
    op.execute("DROP TABLE t_d");
    op.execute("ALTER TABLE t_a DROP COLUMN extra");
}

const SUM: &str = "3333333333333333333333333333333333333333333333333333333333333333";

fn history() -> Vec<Script> {
    vec![
        Script {
            revision: Revision::new(H1).message("half"),
            upgrade: up_half,
            downgrade: down_half,
            path: "versions/c0ffee000001_half.rs",
            checksum: SUM,
        },
        Script {
            revision: Revision::new(H2).message("column").down_revision(H1),
            upgrade: up_column,
            downgrade: down_column,
            path: "versions/c0ffee000002_column.rs",
            checksum: SUM,
        },
    ]
}

/// A MariaDB user with a password, dropped when the test ends, passed or not.
struct User<'a> {
    db: &'a Db,
    name: String,
}

impl<'a> User<'a> {
    fn create(db: &'a Db) -> User<'a> {
        let name = format!("retort_cli_{}", std::process::id());
        db.execute(&format!("DROP USER IF EXISTS '{name}'@'%'"));
        db.execute(&format!(
            "CREATE USER '{name}'@'%' IDENTIFIED BY '{SECRET}'"
        ));
        db.execute(&format!("GRANT ALL ON `{}`.* TO '{name}'@'%'", db.name()));
        User { db, name }
    }
}

impl Drop for User<'_> {
    fn drop(&mut self) {
        self.db
            .execute(&format!("DROP USER IF EXISTS '{}'@'%'", self.name));
    }
}

fn tables(db: &Db) -> Vec<String> {
    db.query(
        "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
    )
}

#[test]
fn upgrade_resume_on_mariadb() {
    let db = mysql_database("cli_upgrade_resume_on_mariadb");
    // MariaDB's root has no password here: a user with one, so none may leak.
    let guard = User::create(&db);
    let user = guard.name.clone();
    let (_, rest) = db.url().split_once('@').expect("user@host URL");
    let url = format!("mysql://{user}:{SECRET}@{rest}");
    let env = env(history());
    let names = [(db.name(), "<db>"), (user.as_str(), "<user>")];
    let cli = |args: &[&str]| {
        let mut full = vec!["--url", url.as_str()];
        full.extend_from_slice(args);
        let out = run(&env, &full, &names);
        out.assert_no_secret();
        out
    };

    // Fails at statement 3 of H1: the first two stay, recorded.
    let out = cli(&["upgrade", H1]);
    assert_ne!(out.code, 0);
    assert_snapshot!("mariadb_upgrade_fails_half_way", out.render());
    assert_eq!(tables(&db), ["retort_log", "retort_version", "t_a", "t_b"]);

    // The next run refuses, naming the statement, and changes nothing.
    let out = cli(&["upgrade", H1]);
    assert_ne!(out.code, 0);
    assert_snapshot!("mariadb_upgrade_refuses_without_resume", out.render());
    assert_eq!(tables(&db), ["retort_log", "retort_version", "t_a", "t_b"]);

    // Put right, `--resume` goes on from statement 3.
    db.execute("CREATE TABLE t_missing (id INTEGER PRIMARY KEY)");
    let out = cli(&["upgrade", H1, "--resume"]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert_snapshot!("mariadb_upgrade_resume", out.render());
    assert_eq!(
        cli(&["current"]).stdout.trim_end(),
        format!("{H1} (head)").replace(" (head)", "")
    );

    // A run killed between `ALTER TABLE t_a ADD COLUMN extra` and its progress row (its
    // intent row written, the column there): refused as in doubt; `--resume` asks the
    // catalog, finds the column and goes on after it instead of adding it twice.
    db.execute(&format!(
        "INSERT INTO retort_log (revision, direction, checksum) VALUES ('{H2}', 'upgrade:0?', '{SUM}')"
    ));
    db.execute("ALTER TABLE t_a ADD COLUMN extra INTEGER");
    let out = cli(&["upgrade", "head"]);
    assert_ne!(out.code, 0);
    assert_snapshot!("mariadb_upgrade_refuses_a_statement_in_doubt", out.render());
    let out = cli(&["upgrade", "head", "--resume"]);
    assert_eq!(out.code, 0, "{}", out.render());
    assert_eq!(
        tables(&db),
        [
            "retort_log",
            "retort_version",
            "t_a",
            "t_b",
            "t_c",
            "t_d",
            "t_missing"
        ]
    );
    assert_eq!(
        db.query("SELECT version_num FROM retort_version"),
        [H2.to_owned()]
    );
    drop(guard);
    db.close();
}

//! A small history of revision scripts built from `op.execute` (fn pointers, as the
//! `build.rs` helper compiles them), and helpers to read the database.

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_migrate::{AnyDriver, Script};
use retort_testkit::TestDb;

pub const R1: &str = "aaa111";
pub const R2: &str = "bbb222";
pub const R3: &str = "ccc333";

fn up1(op: &mut Operations) {
    op.execute("CREATE TABLE t_one (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)");
}
fn down1(op: &mut Operations) {
    op.execute("DROP TABLE t_one");
}
fn up2(op: &mut Operations) {
    op.execute("CREATE TABLE t_two (id INTEGER PRIMARY KEY)");
    op.execute("INSERT INTO t_two (id) VALUES (1), (2)");
}
fn down2(op: &mut Operations) {
    op.execute("DROP TABLE t_two");
}
fn up3(op: &mut Operations) {
    op.execute("CREATE TABLE t_three (id INTEGER PRIMARY KEY)");
}
fn down3(op: &mut Operations) {
    op.execute("DROP TABLE t_three");
}
/// Creates a table, then fails: the table must not survive.
fn up3_bad(op: &mut Operations) {
    op.execute("CREATE TABLE t_three (id INTEGER PRIMARY KEY)");
    op.execute("INSERT INTO no_such_table VALUES (1)");
}

fn script(
    revision: Revision,
    upgrade: fn(&mut Operations),
    downgrade: fn(&mut Operations),
    path: &'static str,
) -> Script {
    Script {
        revision,
        upgrade,
        downgrade,
        path,
        checksum: match revision.id {
            R1 => "1111111111111111111111111111111111111111111111111111111111111111",
            R2 => "2222222222222222222222222222222222222222222222222222222222222222",
            _ => "3333333333333333333333333333333333333333333333333333333333333333",
        },
    }
}

/// R1 <- R2 <- R3, each creating one table.
pub fn history() -> Vec<Script> {
    vec![
        script(
            Revision::new(R1).message("one"),
            up1,
            down1,
            "versions/aaa111_one.rs",
        ),
        script(
            Revision::new(R2).message("two").down_revision(R1),
            up2,
            down2,
            "versions/bbb222_two.rs",
        ),
        script(
            Revision::new(R3).message("three").down_revision(R2),
            up3,
            down3,
            "versions/ccc333_three.rs",
        ),
    ]
}

/// The same history whose third revision fails at its second statement.
pub fn failing_history() -> Vec<Script> {
    let mut h = history();
    h[2].upgrade = up3_bad;
    h
}

pub async fn driver(db: &TestDb) -> AnyDriver {
    let url = retort_migrate::DatabaseUrl::parse(db.url()).expect("testkit URL parses");
    AnyDriver::connect(&url).await.expect("connects")
}

/// The user tables of the database, sorted (bookkeeping tables included).
pub async fn tables(db: &TestDb) -> Vec<String> {
    let sql = match db.dialect() {
        retort_testkit::TestDialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        }
        retort_testkit::TestDialect::Mysql => {
            "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1"
        }
        _ => "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    };
    db.query_strings(sql).await.expect("lists tables")
}

pub async fn versions(db: &TestDb) -> Vec<String> {
    db.query_strings("SELECT version_num FROM retort_version ORDER BY version_num")
        .await
        .expect("reads the version table")
}

/// Raw SQL with comments where a statement ends: after it, after its `;`, block and line
/// comments, a comment first, and `--` inside a string. Leaves `t_c` holding `(1, 5, 'x -- y;')`.
fn up_commented(op: &mut Operations) {
    op.execute(
        "CREATE TABLE t_c (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, note VARCHAR(40)) -- the table",
    );
    op.execute("INSERT INTO t_c (id, a) VALUES (1, 0); -- seed row");
    op.execute("UPDATE t_c SET a = a + 1 /* block comment */");
    op.execute("UPDATE t_c SET a = a + 1 -- fix");
    op.execute("UPDATE t_c SET a = a + 1; /* after the terminator */");
    op.execute("UPDATE t_c SET a = a + 1 -- two\n-- comment lines\n");
    op.execute("-- a comment first\nUPDATE t_c SET a = a + 1");
    op.execute("UPDATE t_c SET note = 'x -- y;' -- not the string");
}
fn down_commented(op: &mut Operations) {
    op.execute("DROP TABLE t_c -- gone");
}

/// One revision of [`up_commented`].
pub fn commented_history() -> Vec<Script> {
    vec![script(
        Revision::new(R1).message("comments"),
        up_commented,
        down_commented,
        "versions/aaa111_comments.rs",
    )]
}

/// What [`up_commented`] leaves in `t_c`.
pub async fn commented_row(db: &TestDb) -> Vec<String> {
    db.query_strings("SELECT CAST(a AS TEXT) || '|' || note FROM t_c")
        .await
        .expect("reads t_c")
}

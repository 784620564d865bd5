//! The compiled-in revision histories: R1 <- R2 <- R3, R2 building an index
//! `CONCURRENTLY` (outside a transaction on PostgreSQL, a plain build on SQLite).

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::Type;
use retort_migrate::Script;

pub const R1: &str = "f00001";
pub const R2: &str = "f00002";
pub const R3: &str = "f00003";

/// Every object the histories create, for resetting a database between kill points.
pub const FAULT_TABLES: &[&str] = &["f_one", "f_two", "f_two_b", "f_three"];

/// Which history the binary runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Good,
    /// R3 fails at its second statement.
    FailLast,
    /// R2 fails at its last statement, after the concurrent index committed.
    FailAfterConcurrent,
    /// R2 inserts duplicate names, then builds a unique index concurrently: the build
    /// fails and (on PostgreSQL) leaves an INVALID index.
    UniqueConcurrent,
}

impl Variant {
    pub fn parse(s: &str) -> Option<Variant> {
        Some(match s {
            "good" => Variant::Good,
            "fail-last" => Variant::FailLast,
            "fail-after-concurrent" => Variant::FailAfterConcurrent,
            "unique-concurrent" => Variant::UniqueConcurrent,
            _ => return None,
        })
    }
}

fn up1(op: &mut Operations) {
    op.execute("CREATE TABLE f_one (id INTEGER PRIMARY KEY)");
    op.execute("INSERT INTO f_one (id) VALUES (1)");
}
fn down1(op: &mut Operations) {
    op.execute("DROP TABLE f_one");
}
fn two_table(op: &mut Operations) {
    op.create_table("f_two", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("name", Type::Varchar(Some(40)));
        t.primary_key(["id"]);
    });
}
fn up2(op: &mut Operations) {
    two_table(op);
    op.create_index("ix_f_two_name", "f_two", ["name"])
        .concurrently();
    op.execute("CREATE TABLE f_two_b (id INTEGER PRIMARY KEY)");
}
fn up2_fail(op: &mut Operations) {
    two_table(op);
    op.create_index("ix_f_two_name", "f_two", ["name"])
        .concurrently();
    op.execute("INSERT INTO no_such_table VALUES (1)");
}
fn up2_unique(op: &mut Operations) {
    two_table(op);
    op.execute("INSERT INTO f_two (id, name) VALUES (1, 'dup'), (2, 'dup')");
    op.create_index("ix_f_two_name", "f_two", ["name"])
        .unique()
        .concurrently();
    op.execute("CREATE TABLE f_two_b (id INTEGER PRIMARY KEY)");
}
fn down2(op: &mut Operations) {
    op.execute("DROP TABLE f_two_b");
    op.drop_table("f_two");
}
fn up3(op: &mut Operations) {
    op.execute("CREATE TABLE f_three (id INTEGER PRIMARY KEY)");
    op.execute("INSERT INTO f_three (id) VALUES (1)");
}
fn up3_fail(op: &mut Operations) {
    op.execute("CREATE TABLE f_three (id INTEGER PRIMARY KEY)");
    op.execute("INSERT INTO no_such_table VALUES (1)");
}
fn down3(op: &mut Operations) {
    op.execute("DROP TABLE f_three");
}

/// The history of `variant`. Checksums are fixed per function, as a build.rs would
/// compute them from the files: a variant's changed revision has its own.
pub fn history(variant: Variant) -> Vec<Script> {
    let (up2_fn, sum2): (fn(&mut Operations), _) = match variant {
        Variant::FailAfterConcurrent => (up2_fail, "2f"),
        Variant::UniqueConcurrent => (up2_unique, "2u"),
        _ => (up2, "20"),
    };
    let (up3_fn, sum3): (fn(&mut Operations), _) = match variant {
        Variant::FailLast => (up3_fail, "3f"),
        _ => (up3, "30"),
    };
    vec![
        Script {
            revision: Revision::new(R1).message("one"),
            upgrade: up1,
            downgrade: down1,
            path: "versions/f00001_one.rs",
            checksum: "10",
        },
        Script {
            revision: Revision::new(R2).message("two").down_revision(R1),
            upgrade: up2_fn,
            downgrade: down2,
            path: "versions/f00002_two.rs",
            checksum: sum2,
        },
        Script {
            revision: Revision::new(R3).message("three").down_revision(R2),
            upgrade: up3_fn,
            downgrade: down3,
            path: "versions/f00003_three.rs",
            checksum: sum3,
        },
    ]
}

/// The tables and indexes (sorted) the good history leaves when `applied` revisions are
/// done and, of the next one, its first `partial` statements are committed.
pub fn expected_objects(applied: usize, partial: usize) -> Vec<String> {
    let per_statement: [&[&[&str]]; 3] = [
        &[&["f_one"], &[]],
        &[&["f_two"], &["ix_f_two_name"], &["f_two_b"]],
        &[&["f_three"], &[]],
    ];
    let mut out: Vec<String> = Vec::new();
    for (i, statements) in per_statement.iter().enumerate() {
        let take = if i < applied {
            statements.len()
        } else if i == applied {
            partial
        } else {
            0
        };
        for objects in statements.iter().take(take) {
            out.extend(objects.iter().map(|s| (*s).to_owned()));
        }
    }
    out.sort();
    out
}

//! The compiled-in revision histories: R1 <- R2 <- R3, R2 building an index
//! `CONCURRENTLY` (outside a transaction on PostgreSQL, a plain build on SQLite). MySQL and
//! MariaDB have no `CONCURRENTLY` (the dialect refuses it; InnoDB builds indexes online
//! anyway), so there R2 builds the same index plainly ([`history_on`]): every DDL statement
//! commits on its own there, which is what the suite attacks on that database.

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::Type;
use retort_migrate::Script;

pub const R1: &str = "f00001";
pub const R2: &str = "f00002";
pub const R3: &str = "f00003";

/// Every object the histories create, for resetting a database between kill points.
pub const FAULT_TABLES: &[&str] = &["f_one", "f_two", "f_two_b", "f_three", "f_rb", "f_rb_log"];
/// The views the histories create (dropped before the tables).
pub const FAULT_VIEWS: &[&str] = &["f_rb_view"];

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
    /// SQLite: R2 makes `f_rb` and gives it, by raw SQL, a column with rows, an index, a
    /// trigger and a view; R3 changes `f_rb.qty`'s type, a table rebuild that must carry
    /// all of them over.
    SqliteRebuild,
    /// R3 fills `f_two` and changes it in the online-safe forms (`online_rewrite` of a check,
    /// a foreign key and a `SET NOT NULL`): constraints added `NOT VALID`, validated after a
    /// commit, NOT NULL through a validated check. Its downgrade is the exact reverse.
    Online,
    /// R3 gives `f_two` a NOT NULL `qty` with a default, fills [`SWAP_ROWS`] rows, and
    /// changes `qty` from integer to bigint (times ten) by add-copy-swap, the backfill in
    /// batches of [`SWAP_BATCH`] rows: a run killed mid-backfill must resume after the last
    /// committed batch. Its downgrade is the swap back.
    Swap,
}

/// The rows R3 of [`Variant::Swap`] fills.
pub const SWAP_ROWS: usize = 20_000;
/// The backfill's batch in [`Variant::Swap`].
pub const SWAP_BATCH: u32 = 20;

impl Variant {
    pub fn parse(s: &str) -> Option<Variant> {
        Some(match s {
            "good" => Variant::Good,
            "fail-last" => Variant::FailLast,
            "fail-after-concurrent" => Variant::FailAfterConcurrent,
            "unique-concurrent" => Variant::UniqueConcurrent,
            "sqlite-rebuild" => Variant::SqliteRebuild,
            "online" => Variant::Online,
            "swap" => Variant::Swap,
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
fn up2_plain(op: &mut Operations) {
    two_table(op);
    op.create_index("ix_f_two_name", "f_two", ["name"]);
    op.execute("CREATE TABLE f_two_b (id INTEGER PRIMARY KEY)");
}
fn up2_fail_plain(op: &mut Operations) {
    two_table(op);
    op.create_index("ix_f_two_name", "f_two", ["name"]);
    op.execute("INSERT INTO no_such_table VALUES (1)");
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

fn up2_rebuild(op: &mut Operations) {
    op.create_table("f_rb", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("qty", Type::Integer);
        t.primary_key(["id"]);
    });
    op.execute("INSERT INTO f_rb (id, qty) VALUES (1, 5), (2, 7)");
    op.execute("ALTER TABLE f_rb ADD COLUMN legacy TEXT");
    op.execute("UPDATE f_rb SET legacy = 'keep ' || id");
    op.execute("CREATE INDEX ix_f_rb_legacy ON f_rb (legacy)");
    op.execute("CREATE TABLE f_rb_log (msg TEXT)");
    op.execute(
        "CREATE TRIGGER f_rb_audit AFTER INSERT ON f_rb \
         BEGIN INSERT INTO f_rb_log (msg) VALUES ('inserted ' || new.id); END",
    );
    op.execute("CREATE VIEW f_rb_view AS SELECT id, legacy FROM f_rb");
}
fn down2_rebuild(op: &mut Operations) {
    op.execute("DROP VIEW f_rb_view");
    op.execute("DROP TABLE f_rb_log");
    op.drop_table("f_rb");
}
fn up3_rebuild(op: &mut Operations) {
    op.alter_column("f_rb", "qty")
        .type_(Type::BigInt)
        .existing_type(Type::Integer);
}
fn down3_rebuild(op: &mut Operations) {
    op.alter_column("f_rb", "qty")
        .type_(Type::Integer)
        .existing_type(Type::BigInt);
}

/// R3 of [`Variant::Online`] as autogenerate writes it with `--online`: the plain ops, on a
/// table R2 made, through `online_rewrite`.
fn online_ops() -> Vec<retort_core::ops::Op> {
    let mut op = Operations::new();
    op.execute("INSERT INTO f_two (id, name) VALUES (1, 'a'), (2, 'b')")
        .reverse_sql("DELETE FROM f_two");
    op.add_column("f_two", retort_core::Column::new("one_id", Type::Integer));
    op.execute("UPDATE f_two SET one_id = 1")
        .reverse_sql("UPDATE f_two SET one_id = NULL");
    op.create_check_constraint("ck_f_two_id_positive", "f_two", "id > 0");
    op.create_foreign_key("fk_f_two_one", "f_two", "f_one", ["one_id"], ["id"]);
    op.alter_column("f_two", "name")
        .nullable(false)
        .existing_nullable(true)
        .existing_type(Type::Varchar(Some(40)));
    retort_core::ops::online_rewrite(op.into_ops(), &retort_core::MetaData::new())
}
/// R3 of [`Variant::Swap`]: the three steps of the swap, as `online_rewrite` writes them for
/// `alter_column("f_two", "qty").type_(BigInt).using("qty::bigint * 10")`.
fn swap_ops() -> Vec<retort_core::ops::Op> {
    use retort_core::ops::SwapStep;
    let mut op = Operations::new();
    op.add_column(
        "f_two",
        retort_core::Column::new("qty", Type::Integer)
            .not_null()
            .server_default(retort_core::ServerDefault::Expr("0".into())),
    );
    op.execute(format!(
        "INSERT INTO f_two (id, name, qty) SELECT g, 'n' || g, g FROM generate_series(1, {SWAP_ROWS}) AS g"
    ))
    .reverse_sql("DELETE FROM f_two");
    for step in [SwapStep::Start, SwapStep::Backfill, SwapStep::Finish] {
        op.swap_column_type("f_two", "qty", Type::BigInt, step)
            .existing_type(Type::Integer)
            .using("qty::bigint * 10")
            .reverse_using("qty / 10")
            .batch_size(SWAP_BATCH);
    }
    op.into_ops()
}
fn up3_swap(op: &mut Operations) {
    for o in swap_ops() {
        op.push(o);
    }
}
fn down3_swap(op: &mut Operations) {
    for mut o in retort_core::ops::reverse_all(&swap_ops()).expect("the swap ops reverse") {
        if let retort_core::ops::Op::DropColumn { data_loss_ok, .. } = &mut o {
            *data_loss_ok = true;
        }
        op.push(o);
    }
}
fn up3_online(op: &mut Operations) {
    for o in online_ops() {
        op.push(o);
    }
}
fn down3_online(op: &mut Operations) {
    // The downgrade drops the column R3 filled, on purpose: marked as a user marks it, so the
    // data-loss guard lets it run.
    for mut o in retort_core::ops::reverse_all(&online_ops()).expect("the online ops reverse") {
        if let retort_core::ops::Op::DropColumn { data_loss_ok, .. } = &mut o {
            *data_loss_ok = true;
        }
        op.push(o);
    }
}

/// The history of `variant` as the binary runs it on `backend`: on MySQL/MariaDB, R2's
/// index is built without `concurrently`, which that dialect refuses (`unique-concurrent`
/// and `sqlite-rebuild` are left as they are: they attack PostgreSQL's `CONCURRENTLY` and
/// SQLite's rebuild, and are not run on MySQL).
pub fn history_on(variant: Variant, backend: retort_migrate::Backend) -> Vec<Script> {
    let mut scripts = history(variant);
    if backend == retort_migrate::Backend::Mysql {
        match variant {
            Variant::Good | Variant::FailLast => {
                scripts[1].upgrade = up2_plain;
                scripts[1].checksum = "2m";
            }
            Variant::FailAfterConcurrent => {
                scripts[1].upgrade = up2_fail_plain;
                scripts[1].checksum = "2fm";
            }
            Variant::UniqueConcurrent
            | Variant::SqliteRebuild
            | Variant::Online
            | Variant::Swap => {}
        }
    }
    scripts
}

/// The history of `variant`. Checksums are fixed per function, as a build.rs would
/// compute them from the files: a variant's changed revision has its own.
pub fn history(variant: Variant) -> Vec<Script> {
    let (up2_fn, sum2): (fn(&mut Operations), _) = match variant {
        Variant::FailAfterConcurrent => (up2_fail, "2f"),
        Variant::UniqueConcurrent => (up2_unique, "2u"),
        Variant::SqliteRebuild => (up2_rebuild, "2r"),
        _ => (up2, "20"),
    };
    let (up3_fn, sum3): (fn(&mut Operations), _) = match variant {
        Variant::FailLast => (up3_fail, "3f"),
        Variant::SqliteRebuild => (up3_rebuild, "3r"),
        Variant::Online => (up3_online, "3o"),
        Variant::Swap => (up3_swap, "3s"),
        _ => (up3, "30"),
    };
    type Body = fn(&mut Operations);
    let (down2_fn, down3_fn): (Body, Body) = match variant {
        Variant::SqliteRebuild => (down2_rebuild, down3_rebuild),
        Variant::Online => (down2, down3_online),
        Variant::Swap => (down2, down3_swap),
        _ => (down2, down3),
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
            downgrade: down2_fn,
            path: "versions/f00002_two.rs",
            checksum: sum2,
        },
        Script {
            revision: Revision::new(R3).message("three").down_revision(R2),
            upgrade: up3_fn,
            downgrade: down3_fn,
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

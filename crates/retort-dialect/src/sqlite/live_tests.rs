//! Unit tests of the rebuild from the live table, with hand-written catalog rows (the real
//! database runs are `retort-migrate`'s `rebuild::*` and the fault suite's).

use retort_core::ops::Operations;
use retort_core::{MetaData, Type};

use super::{render_op_live, LiveCatalog};
use crate::sqlite::introspect::{names, unmodelled_clauses, SqliteCatalogRows};
use crate::{DialectError, Sqlite};

fn row(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some((*v).to_owned())).collect()
}

const TARGET_SQL: &str = "CREATE TABLE target (id INTEGER NOT NULL, qty INTEGER, PRIMARY KEY (id))";

/// `target` as the history builds it.
fn history() -> MetaData {
    let mut op = Operations::new();
    op.create_table("target", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("qty", Type::Integer);
        t.primary_key(["id"]);
    });
    let mut md = MetaData::new();
    for op in op.into_ops() {
        op.apply(&mut md).unwrap();
    }
    md
}

/// `target` as the database has it: the history's two columns and `legacy`, added by raw
/// SQL; `objects` are rows of the schema-objects query.
fn live(objects: &[[&str; 4]]) -> LiveCatalog {
    // As SQLite keeps it after `ALTER TABLE target ADD COLUMN legacy TEXT`.
    let sql = TARGET_SQL.replace("PRIMARY KEY (id))", "PRIMARY KEY (id), legacy TEXT)");
    let column = |cid: &str, name: &str, ty: &str, notnull: &str, pk: &str| {
        let mut r = row(&["target", &sql, cid, name, ty, notnull]);
        r.push(None);
        r.extend(row(&[pk, "0"]));
        r
    };
    LiveCatalog {
        tables: SqliteCatalogRows {
            columns: vec![
                column("0", "id", "INTEGER", "1", "1"),
                column("1", "qty", "INTEGER", "0", "0"),
                column("2", "legacy", "TEXT", "0", "0"),
            ],
            foreign_keys: vec![],
            indexes: vec![],
        },
        objects: objects.iter().map(|o| row(o)).collect(),
    }
}

fn widen_qty() -> retort_core::ops::Op {
    let mut op = Operations::new();
    op.alter_column("target", "qty")
        .type_(Type::BigInt)
        .existing_type(Type::Integer);
    op.into_ops().remove(0)
}

fn rename_qty() -> retort_core::ops::Op {
    let mut op = Operations::new();
    op.alter_column("target", "qty")
        .new_column_name("amount")
        .type_(Type::BigInt);
    op.into_ops().remove(0)
}

#[test]
fn a_live_column_the_history_lacks_is_created_and_copied() {
    let sql = render_op_live(&Sqlite, &widen_qty(), &history(), &live(&[])).unwrap();
    let create = sql.iter().find(|s| s.starts_with("CREATE TABLE")).unwrap();
    assert!(
        create.contains("qty BIGINT") && create.contains("legacy TEXT"),
        "{sql:#?}"
    );
    let copy = sql.iter().find(|s| s.starts_with("INSERT")).unwrap();
    assert!(
        copy.ends_with("(id, qty, legacy) SELECT id, qty, legacy FROM target"),
        "{copy}"
    );
}

#[test]
fn a_live_column_collation_is_kept_by_the_rebuild() {
    // `legacy` was added by raw SQL with a collation, which the model can now carry.
    let mut catalog = live(&[]);
    for r in &mut catalog.tables.columns {
        r[1] = r[1]
            .take()
            .map(|sql| sql.replace("legacy TEXT", "legacy TEXT COLLATE NOCASE"));
    }
    let sql = render_op_live(&Sqlite, &widen_qty(), &history(), &catalog).unwrap();
    let create = sql.iter().find(|s| s.starts_with("CREATE TABLE")).unwrap();
    assert!(
        create.contains("qty BIGINT") && create.contains("legacy TEXT COLLATE \"NOCASE\""),
        "{sql:#?}"
    );
}

#[test]
fn views_and_triggers_that_name_the_table_are_dropped_first_and_made_again_after() {
    let objects = [
        [
            "index",
            "ix_legacy",
            "target",
            "CREATE INDEX ix_legacy ON target (legacy)",
        ],
        ["view", "v", "v", "CREATE VIEW v AS SELECT * FROM target"],
        ["view", "w", "w", "CREATE VIEW w AS SELECT id FROM v"],
        [
            "view",
            "other",
            "other",
            "CREATE VIEW other AS SELECT 'target' AS t",
        ],
        [
            "trigger",
            "on_t",
            "target",
            "CREATE TRIGGER on_t AFTER INSERT ON target BEGIN SELECT 1; END",
        ],
        [
            "trigger",
            "on_x",
            "x",
            "CREATE TRIGGER on_x AFTER INSERT ON x BEGIN DELETE FROM \"TARGET\"; END",
        ],
        [
            "trigger",
            "on_y",
            "y",
            "CREATE TRIGGER on_y AFTER INSERT ON y BEGIN SELECT 'target'; END",
        ],
    ];
    let sql = render_op_live(&Sqlite, &widen_qty(), &history(), &live(&objects)).unwrap();
    let at = |s: &str| {
        sql.iter()
            .position(|x| x == s)
            .unwrap_or_else(|| panic!("{s} in {sql:#?}"))
    };
    let rename = sql.iter().position(|s| s.contains("RENAME TO")).unwrap();
    // Dropped before the swap: the views (w too, which names v) and the other table's
    // trigger that names the table (quoted, in another case); a string literal is no name.
    for drop in [
        "DROP TRIGGER \"on_x\"",
        "DROP VIEW \"v\"",
        "DROP VIEW \"w\"",
    ] {
        assert!(at(drop) < rename, "{sql:#?}");
    }
    assert!(
        !sql.iter()
            .any(|s| s.contains("\"other\"") || s.contains("on_y")),
        "{sql:#?}"
    );
    // Made again after it, from their own text.
    for (_, _, _, create) in objects.iter().map(|o| (o[0], o[1], o[2], o[3])) {
        if create.contains("other") || create.contains("on_y") {
            continue;
        }
        assert!(at(create) > rename, "{create}: {sql:#?}");
    }
    assert!(at("CREATE VIEW v AS SELECT * FROM target") < at("CREATE VIEW w AS SELECT id FROM v"));
}

#[test]
fn an_object_that_names_a_renamed_column_is_refused_by_name() {
    let objects = [[
        "trigger",
        "audit",
        "target",
        "CREATE TRIGGER audit AFTER UPDATE OF qty ON target BEGIN SELECT 1; END",
    ]];
    let err = render_op_live(&Sqlite, &rename_qty(), &history(), &live(&objects)).unwrap_err();
    assert!(
        matches!(&err, DialectError::Rebuild { object, .. } if object == "trigger `audit`"),
        "{err}"
    );
    assert!(err.to_string().contains("column `qty`"), "{err}");
    // Without that trigger the rename goes through, copying qty into amount.
    let sql = render_op_live(&Sqlite, &rename_qty(), &history(), &live(&[])).unwrap();
    assert!(
        sql.iter()
            .any(|s| s.contains("(id, amount, legacy) SELECT id, qty, legacy")),
        "{sql:#?}"
    );
}

#[test]
fn a_table_of_an_attached_database_is_refused_not_read_from_main() {
    let mut op = Operations::new();
    op.alter_column("target", "qty")
        .type_(Type::BigInt)
        .existing_type(Type::Integer)
        .schema("other");
    let mut history = history();
    for t in history.tables_mut() {
        t.schema = Some("other".into());
    }
    let err = render_op_live(&Sqlite, &op.into_ops()[0], &history, &live(&[])).unwrap_err();
    assert!(
        err.to_string().contains("attached database `other`"),
        "{err}"
    );
}

#[test]
fn a_table_missing_from_the_database_is_refused() {
    let mut empty = live(&[]);
    empty.tables.columns.clear();
    let err = render_op_live(&Sqlite, &widen_qty(), &history(), &empty).unwrap_err();
    assert!(err.to_string().contains("is not in the database"), "{err}");
}

#[test]
fn clauses_the_model_cannot_carry_are_found() {
    assert_eq!(unmodelled_clauses(TARGET_SQL), Vec::<&str>::new());
    assert_eq!(
        unmodelled_clauses("CREATE TABLE t (a TEXT COLLATE NOCASE UNIQUE ON CONFLICT IGNORE)"),
        ["ON CONFLICT"]
    );
    // A column's collation is the model's (`Column::collation`); a key's is not.
    assert_eq!(
        unmodelled_clauses("CREATE TABLE t (a TEXT COLLATE NOCASE, b TEXT COLLATE \"C\")"),
        Vec::<&str>::new()
    );
    assert_eq!(
        unmodelled_clauses(
            "CREATE TABLE t (a TEXT COLLATE NOCASE, PRIMARY KEY (a COLLATE BINARY))"
        ),
        ["COLLATE"]
    );
    assert_eq!(
        unmodelled_clauses("CREATE TABLE t (a INTEGER PRIMARY KEY) WITHOUT ROWID, STRICT"),
        ["WITHOUT ROWID", "STRICT"]
    );
    // In an expression the model keeps as written, a collation is kept with it.
    assert_eq!(
        unmodelled_clauses(
            "CREATE TABLE t (a TEXT DEFAULT ('x' COLLATE NOCASE) CHECK (a = lower(a) COLLATE NOCASE), \
             b TEXT AS (a COLLATE BINARY))"
        ),
        Vec::<&str>::new()
    );
    assert_eq!(
        unmodelled_clauses("CREATE TABLE t (a TEXT, UNIQUE (a COLLATE NOCASE))"),
        ["COLLATE"]
    );
    // A column named like an option is not one.
    assert_eq!(
        unmodelled_clauses("CREATE TABLE t (\"strict\" INTEGER, without TEXT)"),
        Vec::<&str>::new()
    );
}

#[test]
fn names_are_tokens_not_substrings() {
    assert!(names("SELECT * FROM main.\"Target\"", "target"));
    assert!(names("UPDATE OF qty ON t", "qty"));
    assert!(!names("SELECT qty_total FROM t", "qty"));
    assert!(!names("SELECT 'qty' -- qty\n FROM t", "qty"));
}

/// `orders` with an enum column, as the history builds it, and the rows of the live table
/// whose `CREATE TABLE` text is `sql`.
fn enum_history_and_live(sql: &str) -> (MetaData, LiveCatalog) {
    let mut op = Operations::new();
    op.create_enum("status", ["new", "paid"]);
    op.create_table("orders", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("state", Type::enumeration("status"));
        t.primary_key(["id"]);
    });
    let mut md = MetaData::new();
    for op in op.into_ops() {
        op.apply(&mut md).unwrap();
    }
    let column = |cid: &str, name: &str, ty: &str, notnull: &str, pk: &str| {
        let mut r = row(&["orders", sql, cid, name, ty, notnull]);
        r.push(None);
        r.extend(row(&[pk, "0"]));
        r
    };
    let live = LiveCatalog {
        tables: SqliteCatalogRows {
            columns: vec![
                column("0", "id", "INTEGER", "1", "1"),
                column("1", "state", "VARCHAR(4)", "0", "0"),
            ],
            foreign_keys: vec![],
            indexes: vec![],
        },
        objects: vec![],
    };
    (md, live)
}

/// A value added to an enum rebuilds its table with the new values, whether the live table
/// stores the enum in the named form or in the earlier unnamed one (which the rebuild
/// replaces, rather than keeping it beside the new check as a check the history lacks).
#[test]
fn an_enum_value_added_rebuilds_the_named_and_the_earlier_unnamed_form() {
    let mut op = Operations::new();
    op.add_enum_value("status", "sent")
        .existing(["new", "paid"]);
    let add = op.into_ops().remove(0);
    for stored in [
        "CONSTRAINT status CHECK (state IN ('new', 'paid'))",
        "CHECK (state IN ('new', 'paid'))",
    ] {
        let sql = format!(
            "CREATE TABLE orders (id INTEGER NOT NULL, state VARCHAR(4), PRIMARY KEY (id), {stored})"
        );
        let (history, live) = enum_history_and_live(&sql);
        let out = render_op_live(&Sqlite, &add, &history, &live).unwrap();
        let create = out.iter().find(|s| s.starts_with("CREATE TABLE")).unwrap();
        assert!(
            create.contains("CONSTRAINT status CHECK (state IN ('new', 'paid', 'sent'))")
                && !create.contains("('new', 'paid')")
                && create.matches("CHECK").count() == 1,
            "{stored}: {out:#?}"
        );
    }
}

/// An enum check whose values were changed by hand (not the history's) is kept by a
/// rebuild, beside the history's, rather than replaced by it silently.
#[test]
fn an_enum_check_changed_by_hand_is_kept_by_a_rebuild() {
    let mut op = Operations::new();
    op.add_enum_value("status", "sent")
        .existing(["new", "paid"]);
    let add = op.into_ops().remove(0);
    let sql = "CREATE TABLE orders (id INTEGER NOT NULL, state VARCHAR(4), PRIMARY KEY (id), \
               CONSTRAINT status CHECK (state IN ('new', 'lost')))";
    let (history, live) = enum_history_and_live(sql);
    let out = render_op_live(&Sqlite, &add, &history, &live).unwrap();
    let create = out.iter().find(|s| s.starts_with("CREATE TABLE")).unwrap();
    assert!(
        create.contains("CONSTRAINT status CHECK (state IN ('new', 'lost'))"),
        "{out:#?}"
    );
}

/// Portable histories (issue 11, item 14): a revision autogenerated on PostgreSQL records
/// an identity's old kind (`BY DEFAULT`); SQLite reads its one identity, the AUTOINCREMENT
/// rowid, back as `ALWAYS`. The runner's rebuild takes the history's column where the live
/// one is what SQLite makes of it, so the recorded old value fits and the identity goes.
#[test]
fn an_identity_kind_sqlite_cannot_tell_is_taken_from_the_history() {
    use retort_core::Identity;
    let mut ops = Operations::new();
    ops.create_table("tickets", |t| {
        t.column("id", Type::Integer)
            .not_null()
            .identity(Identity::by_default());
        t.column("title", Type::Text).not_null();
        t.primary_key(["id"]);
    });
    let mut history = MetaData::new();
    for op in ops.into_ops() {
        op.apply(&mut history).unwrap();
    }
    let sql =
        "CREATE TABLE tickets (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL)";
    let column = |cid: &str, name: &str, ty: &str, pk: &str| {
        let mut r = row(&["tickets", sql, cid, name, ty, "1"]);
        r.push(None);
        r.extend(row(&[pk, "0"]));
        r
    };
    let catalog = LiveCatalog {
        tables: SqliteCatalogRows {
            columns: vec![
                column("0", "id", "INTEGER", "1"),
                column("1", "title", "TEXT", "0"),
            ],
            foreign_keys: vec![],
            indexes: vec![],
        },
        objects: vec![],
    };
    let mut drop = Operations::new();
    drop.alter_column("tickets", "id")
        .drop_identity()
        .existing_identity(Identity::by_default());
    let op = drop.into_ops().remove(0);
    let out = render_op_live(&Sqlite, &op, &history, &catalog).unwrap();
    let create = out.iter().find(|s| s.starts_with("CREATE TABLE")).unwrap();
    assert!(!create.contains("AUTOINCREMENT"), "{out:#?}");
}

/// A default only PostgreSQL has (`ServerDefault::only_on`, a variant of no default on
/// SQLite) set on a column, as a revision autogenerated on PostgreSQL records it: on SQLite
/// the op is resolved to its SQLite variant before the plan, as `render_op` resolves it, so
/// the runner's live rendering gives what the history's does instead of refusing the
/// unresolved default. SQLite's variant is no default, which the column already has: no
/// change here, so no statement and no rebuild.
#[test]
fn a_default_only_another_dialect_has_is_resolved_before_a_live_rebuild() {
    use retort_core::{DialectKind, ServerDefault};
    let mut op = Operations::new();
    op.alter_column("target", "qty")
        .server_default(ServerDefault::only_on(
            DialectKind::Postgres,
            ServerDefault::int(5),
        ))
        .existing_no_server_default()
        .existing_type(Type::Integer);
    let op = op.into_ops().remove(0);
    let history = history();
    let expected = crate::Dialect::render_op(&Sqlite, &op, &history).unwrap();
    assert_eq!(
        super::rebuilt_tables(&op, &history).is_empty(),
        expected.is_empty(),
        "{expected:#?}"
    );
    let out = render_op_live(&Sqlite, &op, &history, &live(&[])).unwrap();
    assert_eq!(out.is_empty(), expected.is_empty(), "{out:#?}");
    assert_eq!(expected, Vec::<String>::new());
    assert!(super::rebuilt_tables(&op, &history).is_empty());
}

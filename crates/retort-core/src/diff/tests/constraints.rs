//! Keys, checks and indexes: matched by name when the model names them and by content
//! when it leaves the name to the database; changes are a drop and a create; every drop
//! names the constraint as the database named it.

use super::support::*;
use crate::diff::{diff, DiffOptions};
use crate::ops::{Constraint, ConstraintKind, Op};
use crate::{Check, FkAction, ForeignKey, Index, MetaData, NamingConvention, Table};

fn base() -> Table {
    Table::new("t")
        .column(int("id"))
        .column(int("a"))
        .column(int("b"))
        .primary_key(["id"])
}

fn with(t: Table) -> MetaData {
    md().table(customers()).table(t)
}

#[test]
fn indexes_are_added_removed_and_changed_under_the_same_name() {
    let ix = || Index::on_columns(["a", "b"]).name("ix");
    let d = check(&with(base()), &with(base().index(ix())));
    assert_eq!(d.log, ["Detected added index 'ix' on '(a, b)'"]);
    let d = check(&with(base().index(ix())), &with(base()));
    assert_eq!(d.log, ["Detected removed index 'ix' on 't'"]);
    assert!(matches!(
        &d.ops[0],
        Op::DropIndex {
            existing: Some(_),
            ..
        }
    ));
    for changed in [
        ix().predicate("a > 0"),
        ix().include(["id"]),
        ix().method("hash"),
        ix().unique(),
        Index::on_columns(["b", "a"]).name("ix"),
    ] {
        let d = check(&with(base().index(ix())), &with(base().index(changed)));
        assert_eq!(described(&d)[0], "drop index ix on t");
        assert!(
            matches!(&d.ops[1..], [Op::CreateIndex { index, .. }] if index.name.as_deref() == Some("ix"))
        );
        assert_eq!(d.log, ["Detected changed index 'ix' on 't'"]);
    }
    // btree is the default method.
    let same = diff(
        &with(base().index(ix().method("btree"))),
        &with(base().index(ix())),
        &DiffOptions::default(),
    );
    assert!(same.ops.is_empty());
}

#[test]
fn an_unnamed_index_gets_the_database_name_so_its_reverse_can_drop_it() {
    let d = check(&with(base()), &with(base().index(Index::on_columns(["a"]))));
    assert_eq!(d.log, ["Detected added index 't_a_idx' on '(a)'"]);
}

#[test]
fn unique_constraints_match_by_columns_when_unnamed() {
    let db = with(base().unique(["a"]));
    let mut named = db.clone();
    named.tables_mut()[1].uniques[0].name = Some("t_a_key".into());
    // Model unnamed, database named: the same constraint.
    assert!(diff(&named, &db, &DiffOptions::default()).ops.is_empty());
    let d = check(&named, &with(base().unique(["a", "b"])));
    assert_eq!(
        d.log,
        [
            "Detected removed unique constraint 't_a_key' on '(a)'",
            // Left for the database to name, as create_all leaves it.
            "Detected added unique constraint (unnamed) on '(a, b)'",
        ]
    );
}

#[test]
fn foreign_keys_are_logged_as_alembic_does_and_changes_are_drop_and_create() {
    let fk = || ForeignKey::new(["customer_id"], "customers", ["customer_id"]);
    let before = md()
        .table(customers())
        .table(orders().foreign_key_cleared());
    let after = md().table(customers()).table(orders());
    let d = check(&before, &after);
    assert_eq!(
        d.log,
        ["Detected added foreign key (customer_id)(customer_id) on table orders"]
    );
    match &d.ops[0] {
        Op::CreateForeignKey { foreign_key, .. } => {
            assert_eq!(foreign_key.name.as_deref(), None)
        }
        other => panic!("{other:?}"),
    }
    // The database named it; an unnamed model key matches it by content.
    let mut db = after.clone();
    db.tables_mut()[1].foreign_keys[0].name = Some("whatever_db_said".into());
    assert!(diff(&db, &after, &DiffOptions::default()).ops.is_empty());
    // ON DELETE changed: drop (by the database's name) and create.
    let cascade = md().table(customers()).table(
        orders()
            .foreign_key_cleared()
            .foreign_key(fk().on_delete(FkAction::Cascade)),
    );
    let d = check(&db, &cascade);
    assert_eq!(
        d.log,
        [
            "Detected removed foreign key (customer_id)(customer_id) on table orders",
            "Detected added foreign key (customer_id)(customer_id) on table orders",
        ]
    );
    match &d.ops[0] {
        Op::DropConstraint {
            name,
            kind: ConstraintKind::ForeignKey,
            existing: Some(Constraint::ForeignKey(f)),
            ..
        } => {
            assert_eq!(name, "whatever_db_said");
            assert_eq!(f.on_delete, None);
        }
        other => panic!("{other:?}"),
    }
    // NO ACTION is the default action.
    let no_action = md().table(customers()).table(
        orders()
            .foreign_key_cleared()
            .foreign_key(fk().on_delete(FkAction::NoAction)),
    );
    assert!(diff(&after, &no_action, &DiffOptions::default())
        .ops
        .is_empty());
}

trait Cleared {
    fn foreign_key_cleared(self) -> Self;
}
impl Cleared for Table {
    fn foreign_key_cleared(mut self) -> Self {
        self.foreign_keys.clear();
        self
    }
}

#[test]
fn check_constraints_on_existing_tables_are_added_dropped_and_changed() {
    let d = check(&with(base()), &with(base().check(Some("pos"), "a > 0")));
    assert_eq!(d.log, ["Detected added check constraint 'pos' on 't'"]);
    let d = check(&with(base().check(Some("pos"), "a > 0")), &with(base()));
    assert_eq!(d.log, ["Detected removed check constraint 'pos' on 't'"]);
    let d = check(
        &with(base().check(Some("pos"), "a > 0")),
        &with(base().check(Some("pos"), "a >= 0")),
    );
    assert_eq!(
        described(&d),
        [
            "drop check constraint pos on t",
            "create check constraint pos on t"
        ]
    );
    assert_eq!(d.log, ["Detected changed check constraint 'pos' on 't'"]);
    // Unnamed in the model: matched by expression, parentheses aside.
    let db = with(base().check(Some("t_a_check"), "((a > 0))"));
    assert!(diff(
        &db,
        &with(base().check(None, "a > 0")),
        &DiffOptions::default()
    )
    .ops
    .is_empty());
    // Two unnamed checks added at once get distinct names.
    let d = check(
        &with(base()),
        &with(base().check(None, "a > 0").check(None, "b > 0")),
    );
    let names: Vec<_> = d
        .ops
        .iter()
        .filter_map(|o| match o {
            Op::CreateCheckConstraint {
                check: Check { name, .. },
                ..
            } => name.clone(),
            _ => None,
        })
        .collect();
    // Left for the database to name (`t_a_check`, `t_b_check`), as create_all leaves them.
    assert!(names.is_empty(), "{names:?}");
    let d = check(
        &with(base()),
        &with(
            base()
                .check(None, "a > 0")
                .check(None, "A < 10 AND 'b' <> ''")
                .check(None, "a < b"),
        ),
    );
    let names: Vec<_> = d
        .ops
        .iter()
        .filter_map(|o| match o {
            Op::CreateCheckConstraint {
                check: Check { name, .. },
                ..
            } => name.clone(),
            _ => None,
        })
        .collect();
    // Only the second check on `a` is named: PostgreSQL would number it, which no backend
    // can tell from its definition.
    assert_eq!(names, ["t_a_check1"]);
}

#[test]
fn primary_key_changes_are_a_drop_and_a_create() {
    let before = with(base());
    let mut after_t = base();
    after_t.primary_key = None;
    let after = with(after_t.primary_key(["id", "a"]));
    let d = check(&before, &after);
    assert_eq!(
        d.log,
        [
            "Detected removed primary key (id) on 't'",
            "Detected added primary key (id, a) on 't'"
        ]
    );
    // Unnamed on both sides: dropped by its definition (PostgreSQL renders `t_pkey`).
    assert!(matches!(&d.ops[0], Op::DropConstraint { name, .. } if name.is_empty()));
    let mut no_pk = base();
    no_pk.primary_key = None;
    check(&with(no_pk), &before);
}

#[test]
fn a_changed_primary_key_named_by_the_database_keeps_its_plain_name() {
    // Introspected: the database's name is on the key, so it is taken until dropped.
    let mut db_t = base();
    db_t.primary_key.as_mut().unwrap().name = Some("t_pkey".into());
    let mut after_t = base();
    after_t.primary_key = None;
    let d = check(&with(db_t), &with(after_t.primary_key(["id", "a"])));
    // `t_pkey` is the name PostgreSQL gives it: the ops leave it unnamed, as the model does.
    assert!(matches!(&d.ops[0], Op::DropConstraint { name, .. } if name.is_empty()));
    assert!(
        matches!(&d.ops[1], Op::CreatePrimaryKey { primary_key, .. } if primary_key.name.is_none()),
        "{:?}",
        d.ops[1]
    );
}

#[test]
fn switching_the_naming_convention_renames_constraints_and_indexes() {
    let t = || {
        Table::new("t")
            .column(int("id"))
            .column(int("customer_id"))
            .primary_key(["id"])
            .foreign_key(ForeignKey::new(
                ["customer_id"],
                "customers",
                ["customer_id"],
            ))
            .unique(["customer_id"])
            .index(Index::on_columns(["id", "customer_id"]))
    };
    let old = MetaData::new().table(customers()).table(t());
    let new = MetaData::new()
        .naming_convention(NamingConvention::recommended())
        .table(customers())
        .table(t());
    // The database as the old model left it: the names PostgreSQL gave.
    let mut db = old.clone();
    {
        let x = &mut db.tables_mut()[1];
        x.primary_key.as_mut().unwrap().name = Some("t_pkey".into());
        x.foreign_keys[0].name = Some("t_customer_id_fkey".into());
        x.uniques[0].name = Some("t_customer_id_key".into());
    }
    let d = check(&db, &new);
    let mut got = described(&d);
    got.sort();
    let mut want = vec![
        // The names PostgreSQL gave: dropped by their definitions, as create_all left them.
        "drop primary key (unnamed, by its definition) on customers",
        "create primary key pk_customers on customers (customer_id)",
        "drop primary key (unnamed, by its definition) on t",
        "create primary key pk_t on t (id)",
        "drop foreign key (unnamed, by its definition) on t",
        "create foreign key fk_t_customer_id_customers on t (customer_id) -> customers (customer_id)",
        "drop unique constraint (unnamed, by its definition) on t",
        "create unique constraint uq_t_customer_id on t (customer_id)",
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn a_key_that_a_staying_foreign_key_needs_is_rebuilt_around_it() {
    // Only the primary key's name changes; the foreign key to it stays as it is.
    let mut db = md().table(customers()).table(orders());
    db.tables_mut()[0].primary_key.as_mut().unwrap().name = Some("customers_pkey".into());
    db.tables_mut()[1].primary_key.as_mut().unwrap().name = Some("orders_pkey".into());
    db.tables_mut()[1].foreign_keys[0].name = Some("orders_customer_id_fkey".into());
    let mut model = db.clone();
    model.tables_mut()[0].primary_key.as_mut().unwrap().name = Some("pk_customers".into());
    let d = check(&db, &model);
    assert_eq!(
        described(&d),
        [
            "drop foreign key orders_customer_id_fkey on orders",
            // `customers_pkey` is the name PostgreSQL gives it unnamed.
            "drop primary key (unnamed, by its definition) on customers",
            "create primary key pk_customers on customers (customer_id)",
            "create foreign key orders_customer_id_fkey on orders (customer_id) -> customers (customer_id)",
        ]
    );
    // Only the key is a detected change.
    assert_eq!(d.log.len(), 2, "{:?}", d.log);
}

#[test]
fn a_schema_replayed_from_the_history_has_unnamed_keys_that_are_dropped_by_the_database_name() {
    // The history created `orders` with an unnamed foreign key; the model drops it.
    let mut replayed = md();
    crate::ops::apply_all(
        &[
            Op::CreateTable { table: customers() },
            Op::CreateTable { table: orders() },
        ],
        &mut replayed,
    )
    .unwrap();
    assert_eq!(replayed.tables()[1].foreign_keys[0].name, None);
    let after = md()
        .table(customers())
        .table(orders().foreign_key_cleared());
    let d = check(&replayed, &after);
    // Dropped by its definition (the database renders the name it gave).
    assert_eq!(
        described(&d),
        ["drop foreign key (unnamed, by its definition) on orders"]
    );
}

#[test]
fn the_index_behind_a_unique_constraint_is_not_an_index_of_its_own() {
    // Introspection may list the index PostgreSQL builds for a unique constraint.
    let mut db = with(base().unique(["a"]));
    db.tables_mut()[1].uniques[0].name = Some("t_a_key".into());
    db.tables_mut()[1]
        .indexes
        .push(Index::on_columns(["a"]).name("t_a_key").unique());
    assert!(
        diff(&db, &with(base().unique(["a"])), &DiffOptions::default())
            .ops
            .is_empty()
    );
}

#[test]
fn a_changed_unnamed_foreign_key_keeps_the_plain_database_name() {
    let mut db = md().table(customers()).table(orders());
    db.tables_mut()[1].foreign_keys[0].name = Some("orders_customer_id_fkey".into());
    let mut model = md().table(customers()).table(orders());
    model.tables_mut()[1].foreign_keys[0].on_delete = Some(FkAction::Cascade);
    let d = check(&db, &model);
    assert_eq!(
        described(&d),
        // The name PostgreSQL gave: dropped by definition, created unnamed again.
        [
            "drop foreign key (unnamed, by its definition) on orders",
            "create foreign key (unnamed) on orders (customer_id) -> customers (customer_id)",
        ]
    );
}

/// A database that leaves unnamed constraints unnamed (SQLite).
struct LeavesUnnamed;
impl crate::diff::CompareDialect for LeavesUnnamed {
    fn constraint_name(&self, _: &Table, _: &Constraint) -> Option<String> {
        None
    }
}

#[test]
fn a_dialect_that_leaves_constraints_unnamed_gets_them_added_unnamed_and_dropped_by_content() {
    use crate::diff::diff_with;
    use crate::ops::{apply_all, reverse_all};
    let plain = with(base());
    let checked = with(base().check(None, "a > 0"));
    let d = diff_with(&plain, &checked, &DiffOptions::default(), &LeavesUnnamed);
    assert_eq!(d.log, ["Detected added check constraint (unnamed) on 't'"]);
    assert!(
        matches!(&d.ops[..], [Op::CreateCheckConstraint { check, .. }] if check.name.is_none()),
        "{:#?}",
        d.ops
    );
    // Its reverse drops it by its definition, and replays back to the start.
    let down = reverse_all(&d.ops).expect("reversible");
    assert!(
        matches!(&down[..], [Op::DropConstraint { name, kind: ConstraintKind::Check, existing: Some(Constraint::Check(c)), .. }]
            if name.is_empty() && c.name.is_none()),
        "{down:#?}"
    );
    let mut md = checked.clone();
    apply_all(&down, &mut md).expect("the unnamed drop finds the check by content");
    assert_eq!(md.get_table(None, "t"), plain.get_table(None, "t"));

    // An unnamed foreign key the model no longer has: an unnamed drop carrying it.
    let fk = || ForeignKey::new(["a"], "customers", ["id"]);
    let d = diff_with(
        &with(base().foreign_key(fk())),
        &plain,
        &DiffOptions::default(),
        &LeavesUnnamed,
    );
    assert!(
        matches!(&d.ops[..], [Op::DropConstraint { name, existing: Some(Constraint::ForeignKey(f)), .. }]
            if name.is_empty() && *f == fk()),
        "{:#?}",
        d.ops
    );
    // The default (PostgreSQL's) leaves it unnamed too: the database's name is the one it
    // would give.
    let d = diff(&plain, &checked, &DiffOptions::default());
    assert!(
        matches!(&d.ops[..], [Op::CreateCheckConstraint { check, .. }] if check.name.is_none()),
        "{:#?}",
        d.ops
    );
}

#[test]
fn a_model_that_names_its_key_as_postgresql_would_keeps_the_name() {
    // The model says `t_pkey` itself: the ops carry it, on both sides.
    let mut db_t = base();
    db_t.primary_key.as_mut().unwrap().name = Some("t_pkey".into());
    let mut after_t = base();
    after_t.primary_key = None;
    let model = with(after_t.primary_key(["id", "a"]));
    let mut named_model = model.clone();
    named_model.tables_mut()[1]
        .primary_key
        .as_mut()
        .unwrap()
        .name = Some("t_pkey".into());
    let d = check(&with(db_t), &named_model);
    assert!(matches!(&d.ops[0], Op::DropConstraint { name, .. } if name == "t_pkey"));
    assert!(
        matches!(&d.ops[1], Op::CreatePrimaryKey { primary_key, .. } if primary_key.name.as_deref() == Some("t_pkey")),
        "{:?}",
        d.ops[1]
    );
}

#[test]
fn a_name_postgresql_would_not_give_is_kept() {
    // `t_a_check` is PostgreSQL's name for a check on `a`, not for one on `b`.
    let mut db = with(base().check(None, "b > 0"));
    db.tables_mut()[1].checks[0].name = Some("t_a_check".into());
    let d = check(&db, &with(base()));
    assert!(
        matches!(&d.ops[..], [Op::DropConstraint { name, .. }] if name == "t_a_check"),
        "{:#?}",
        d.ops
    );
}

/// A database that cannot change a column's type under a foreign key using it (MySQL:
/// "Cannot change column 'id': used in a foreign key constraint", with foreign key checks
/// off too).
struct KeysBlockTypeChanges;
impl crate::diff::CompareDialect for KeysBlockTypeChanges {
    fn foreign_keys_block_type_changes(&self) -> bool {
        true
    }
}

/// Evolution case 70 on MariaDB: a key widened with the column referencing it. There the
/// foreign key is dropped before the alters and added again after them; its reverse does
/// the same around the narrowing. Elsewhere the alters run under the key.
#[test]
fn a_key_whose_type_changes_is_dropped_around_the_change_where_the_database_needs_it() {
    use crate::diff::diff_with;
    use crate::ops::{apply_all, reverse_all};
    use crate::Type;
    let schema = |ty: Type| {
        md().table(
            Table::new("customers")
                .column(crate::Column::new("customer_id", ty.clone()).not_null())
                .primary_key(["customer_id"]),
        )
        .table(
            Table::new("orders")
                .column(int("order_id"))
                .column(crate::Column::new("customer_id", ty).not_null())
                .primary_key(["order_id"])
                .foreign_key(
                    ForeignKey::new(["customer_id"], "customers", ["customer_id"])
                        .name("fk_orders_customer"),
                ),
        )
    };
    let (narrow, wide) = (schema(Type::Integer), schema(Type::BigInt));
    let plain = diff_with(
        &narrow,
        &wide,
        &DiffOptions::default(),
        &crate::diff::ExactCompare,
    );
    assert_eq!(plain.ops.len(), 2, "{:#?}", plain.ops);
    let d = diff_with(
        &narrow,
        &wide,
        &DiffOptions::default(),
        &KeysBlockTypeChanges,
    );
    assert_eq!(
        described(&d),
        [
            "drop foreign key fk_orders_customer on orders",
            "alter column customers.customer_id (type)",
            "alter column orders.customer_id (type)",
            "create foreign key fk_orders_customer on orders (customer_id) -> customers (customer_id)",
        ]
    );
    assert!(
        d.log
            .iter()
            .any(|l| l.contains("dropped: the type of 'orders.customer_id' it uses changes")),
        "{:?}",
        d.log
    );
    let mut up = narrow.clone();
    apply_all(&d.ops, &mut up).unwrap();
    assert!(
        diff_with(&up, &wide, &DiffOptions::default(), &KeysBlockTypeChanges)
            .ops
            .is_empty()
    );
    let down = reverse_all(&d.ops).unwrap();
    assert!(
        matches!(
            &down[0],
            Op::DropConstraint {
                kind: ConstraintKind::ForeignKey,
                ..
            }
        ),
        "{down:#?}"
    );
    apply_all(&down, &mut up).unwrap();
    assert!(
        diff_with(&up, &narrow, &DiffOptions::default(), &KeysBlockTypeChanges)
            .ops
            .is_empty()
    );
}

/// Forgetting the names the database gave in the schema itself (no copy) gives the diff
/// the copy gave, and `restore` gives the schema back as it was: a key, a foreign key and
/// a unique constraint named as PostgreSQL names them, one the model names itself, and a
/// table the model dropped.
#[test]
fn names_forgotten_in_place_diff_as_in_a_copy_and_come_back() {
    let named = |t: Table| {
        let mut t = t;
        t.primary_key.as_mut().unwrap().name = Some(format!("{}_pkey", t.name));
        t
    };
    let db_t = named(base().column(int("c")).unique(["a"]).unique(["b"]))
        .foreign_key(ForeignKey::new(["c"], "customers", ["id"]));
    let mut db_t = db_t;
    db_t.uniques[0].name = Some("t_a_key".into());
    db_t.uniques[1].name = Some("kept_b".into());
    db_t.foreign_keys[0].name = Some("t_c_fkey".into());
    let gone = named(Table::new("gone").column(int("id")).primary_key(["id"]));
    let db = md().table(customers()).table(db_t).table(gone);
    let model_t = base()
        .column(int("c"))
        .unique(["a"])
        .foreign_key(ForeignKey::new(["c"], "customers", ["id"]));
    let mut model_t = model_t;
    model_t = model_t.unique(["b"]);
    model_t.uniques[1].name = Some("kept_b".into());
    let model = with(model_t.unique(["a", "b"]));
    let expected = diff(&db, &model, &DiffOptions::default());
    let mut work = db.clone();
    let forgotten =
        crate::diff::forget_given_names_in_place(&mut work, &model, &crate::diff::ExactCompare);
    assert_ne!(work, db, "some names were forgotten");
    let t = work.get_table(None, "t").unwrap();
    assert_eq!(t.primary_key.as_ref().unwrap().name, None);
    assert_eq!(t.uniques[0].name, None);
    assert_eq!(t.uniques[1].name.as_deref(), Some("kept_b"));
    assert_eq!(t.foreign_keys[0].name, None);
    assert_eq!(diff(&work, &model, &DiffOptions::default()), expected);
    assert!(!expected.ops.is_empty());
    forgotten.restore(&mut work);
    assert_eq!(work, db);
}

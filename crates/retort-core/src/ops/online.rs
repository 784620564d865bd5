//! Online-safe rewrites of a revision's ops (issue 15, item 3): the same schema change,
//! spelled so that a live PostgreSQL database keeps serving reads and writes while it runs.
//!
//! * A foreign key or check added to a table that already exists is added `NOT VALID`
//!   (its lock held for a moment, no rows read) and validated by an
//!   [`Op::ValidateConstraint`] at the end of the revision, which runs outside the
//!   revision's transaction under a `SHARE UPDATE EXCLUSIVE` lock.
//! * `SET NOT NULL` on an existing table goes through a validated check: `CHECK (col IS
//!   NOT NULL) NOT VALID`, validate it, `SET NOT NULL` (which PostgreSQL 12+ proves from the
//!   check without a scan), drop the check. The other changes of the same alter stay in
//!   an alter of their own, before.
//!
//! Tables created earlier in the same ops are left alone: they are empty and nobody uses
//! them yet. Constraints whose name neither the op nor the naming convention gives are
//! left plain too, since `VALIDATE CONSTRAINT` needs the name.
//!
//! * A column type change that rewrites the table goes through add-copy-swap
//!   ([`Op::SwapColumnType`], three steps: a copy column kept in step by a trigger, a
//!   batched backfill outside the transaction, the swap of names in a short one), when the
//!   model gives the table a one-column primary key and nothing the old column's drop
//!   would take (an index, a constraint: `swap_key`). Otherwise the plain alter stays and
//!   the lint's `changing-column-type` names it. The alter's other changes follow in an
//!   alter of their own (a `SET NOT NULL` among them through a validated check, as above).
//!
//! Pure: the caller decides that the database wants it (PostgreSQL; SQLite and MySQL render
//! the flags as the plain forms, `docs/online.md`). MySQL/MariaDB's one online form is the
//! index's ([`online_index_ops`]: `ALGORITHM=INPLACE, LOCK=NONE`).

use std::collections::HashSet;

use super::swap::swap_key;
use super::{AlterColumn, ColumnSwap, ConstraintKind, Op};
use crate::{conv, Check, ForeignKey, MetaData, Table};

/// PostgreSQL's longest identifier, in bytes.
const MAX_NAME: usize = 63;

/// `ops` with the online-safe forms of the module docs. `naming` gives the naming convention
/// that names a constraint the op leaves unnamed (the model's); which tables are new is
/// read from the ops themselves.
pub fn online_rewrite(ops: Vec<Op>, naming: &MetaData) -> Vec<Op> {
    let before = naming;
    let mut created: HashSet<(Option<String>, String)> = HashSet::new();
    let mut out = Vec::with_capacity(ops.len());
    let mut validate_last = Vec::new();
    for op in ops {
        match op {
            Op::CreateTable { ref table } => {
                created.insert((table.schema.clone(), table.name.clone()));
                out.push(op);
            }
            Op::CreateForeignKey {
                schema,
                table,
                foreign_key,
                not_valid: false,
            } if !created.contains(&(schema.clone(), table.clone())) => {
                match fk_name(before, &table, &foreign_key) {
                    Some(name) => {
                        validate_last.push(Op::ValidateConstraint {
                            schema: schema.clone(),
                            table: table.clone(),
                            name,
                            kind: ConstraintKind::ForeignKey,
                        });
                        out.push(Op::CreateForeignKey {
                            schema,
                            table,
                            foreign_key,
                            not_valid: true,
                        });
                    }
                    None => out.push(Op::CreateForeignKey {
                        schema,
                        table,
                        foreign_key,
                        not_valid: false,
                    }),
                }
            }
            Op::CreateCheckConstraint {
                schema,
                table,
                check,
                not_valid: false,
            } if !created.contains(&(schema.clone(), table.clone())) => {
                let name = check_name(before, &table, &check);
                match name {
                    Some(name) => {
                        validate_last.push(Op::ValidateConstraint {
                            schema: schema.clone(),
                            table: table.clone(),
                            name,
                            kind: ConstraintKind::Check,
                        });
                        out.push(Op::CreateCheckConstraint {
                            schema,
                            table,
                            check,
                            not_valid: true,
                        });
                    }
                    None => out.push(Op::CreateCheckConstraint {
                        schema,
                        table,
                        check,
                        not_valid: false,
                    }),
                }
            }
            Op::AlterColumn(a)
                if swappable(&a, before)
                    && !created.contains(&(a.schema.clone(), a.table.clone())) =>
            {
                let mut rest = a.clone();
                rest.type_ = None;
                rest.using = None;
                rest.existing_type = a.type_.clone();
                // The finish sets the column's default again; a default the diff restates
                // after a type change (ALTER TYPE can drop it) is no change here.
                if rest.server_default.is_some()
                    && rest.server_default == rest.existing_server_default
                {
                    rest.server_default = None;
                }
                out.extend(ColumnSwap::ops(
                    a.schema.clone(),
                    a.table.clone(),
                    a.column.clone(),
                    a.type_.clone().unwrap_or(crate::Type::Text),
                    a.existing_type.clone(),
                    a.using.clone(),
                ));
                if rest.changed().is_empty() {
                    continue;
                }
                if rest.nullable == Some(false) && rest.computed.is_none() {
                    set_not_null(rest, &mut out);
                } else {
                    out.push(Op::AlterColumn(rest));
                }
            }
            Op::AlterColumn(a)
                if a.nullable == Some(false)
                    && a.computed.is_none()
                    && !created.contains(&(a.schema.clone(), a.table.clone())) =>
            {
                set_not_null(a, &mut out);
            }
            other => out.push(other),
        }
    }
    out.extend(validate_last);
    out
}

/// `ops` with every index built or dropped on a table that already exists marked
/// `concurrently`, the online form MySQL/MariaDB have for an index: rendered there with
/// `ALGORITHM=INPLACE, LOCK=NONE`, so the server builds it while writes go on, or refuses
/// instead of locking the table. Tables created earlier in the same ops are left alone.
pub fn online_index_ops(ops: Vec<Op>) -> Vec<Op> {
    let mut created: HashSet<(Option<String>, String)> = HashSet::new();
    ops.into_iter()
        .map(|op| match op {
            Op::CreateTable { ref table } => {
                created.insert((table.schema.clone(), table.name.clone()));
                op
            }
            Op::CreateIndex {
                schema,
                table,
                index,
                concurrently: _,
            } if !created.contains(&(schema.clone(), table.clone())) => Op::CreateIndex {
                schema,
                table,
                index,
                concurrently: true,
            },
            Op::DropIndex {
                schema,
                table,
                name,
                existing,
                concurrently: _,
            } if !created.contains(&(schema.clone(), table.clone())) => Op::DropIndex {
                schema,
                table,
                name,
                existing,
                concurrently: true,
            },
            other => other,
        })
        .collect()
}

/// The type changes among `ops` that rewrite their table and that [`online_rewrite`] still
/// leaves plain (an `ALTER COLUMN .. TYPE` under an ACCESS EXCLUSIVE lock for the whole
/// rewrite), each in words with what is in the way of add-copy-swap and what to do: so that
/// asking for online forms never gets a rewriting alter without a word. `model` is what
/// `online_rewrite` is given.
pub fn swap_refusals(ops: &[Op], model: &MetaData) -> Vec<String> {
    let mut created: HashSet<(Option<String>, String)> = HashSet::new();
    let mut out = Vec::new();
    for op in ops {
        match op {
            Op::CreateTable { table } => {
                created.insert((table.schema.clone(), table.name.clone()));
            }
            Op::AlterColumn(a) if !created.contains(&(a.schema.clone(), a.table.clone())) => {
                if let SwapFit::Refused(what, hint) = swap_fit(a, model) {
                    out.push(format!(
                        "{}.{}: the type change stays a plain ALTER COLUMN .. TYPE, which rewrites the table under an ACCESS EXCLUSIVE lock: {what}; {hint}",
                        crate::schema::qualified(a.schema.as_deref(), &a.table),
                        a.new_name.as_deref().unwrap_or(&a.column)
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether PostgreSQL changes `old` to `new` without rewriting the table (a wider
/// `varchar`, `varchar` to `text`, a wider `numeric`): no add-copy-swap is needed for those.
pub fn changes_in_place(old: &crate::Type, new: &crate::Type) -> bool {
    use crate::Type::*;
    match (old, new) {
        (a, b) if a == b => true,
        (Varchar(Some(a)), Varchar(Some(b))) => b >= a,
        (Varchar(_), Varchar(None)) | (Varchar(_), Text) | (Text, Varchar(None)) => true,
        (
            Numeric {
                precision: Some(p1),
                scale: s1,
            },
            Numeric {
                precision: Some(p2),
                scale: s2,
            },
        ) => p2 >= p1 && s1.unwrap_or(0) == s2.unwrap_or(0),
        (
            Numeric { .. },
            Numeric {
                precision: None,
                scale: None,
            },
        ) => true,
        _ => false,
    }
}

/// What add-copy-swap makes of an alter's type change.
enum SwapFit {
    /// No type change, or one PostgreSQL makes in place ([`changes_in_place`]).
    NotNeeded,
    /// A change that rewrites the table, and the swap can take it.
    Swap,
    /// A change that rewrites the table, which the swap cannot take: what is in the way,
    /// and what to do.
    Refused(String, String),
}

/// Whether the alter's type change goes through add-copy-swap: a change that rewrites the
/// table (not [`changes_in_place`]), with its old type recorded (for the reverse), no
/// identity or generation change beside it, on a table the model gives a one-column primary
/// key and nothing the old column's drop would take ([`swap_key`]). Otherwise the plain
/// alter stays, [`swap_refusals`] says why, and `lint` names it (`changing-column-type`).
fn swap_fit(a: &AlterColumn, model: &MetaData) -> SwapFit {
    let Some(new) = &a.type_ else {
        return SwapFit::NotNeeded;
    };
    let Some(old) = &a.existing_type else {
        return SwapFit::Refused(
            "the column's old type is not recorded (`existing_type`), which the swap's way back needs".to_owned(),
            "record it on the alter".to_owned(),
        );
    };
    if changes_in_place(old, new) {
        return SwapFit::NotNeeded;
    }
    if a.identity.is_some() || a.computed.is_some() {
        return SwapFit::Refused(
            "the alter also changes the column's identity or generation".to_owned(),
            "change the type in an alter of its own".to_owned(),
        );
    }
    let column = a.new_name.as_deref().unwrap_or(&a.column);
    match swap_key(model, a.schema.as_deref(), &a.table, column) {
        Ok(_) => SwapFit::Swap,
        Err(r) => SwapFit::Refused(r.what, r.hint),
    }
}

fn swappable(a: &AlterColumn, model: &MetaData) -> bool {
    matches!(swap_fit(a, model), SwapFit::Swap)
}

/// The four steps of `SET NOT NULL` through a validated check, after an alter with the
/// alter's other changes, if any.
fn set_not_null(a: AlterColumn, out: &mut Vec<Op>) {
    // A rename in the same alter: the check names the column by its name after it.
    let column = a.new_name.clone().unwrap_or_else(|| a.column.clone());
    let mut rest = a.clone();
    rest.nullable = None;
    if !rest.changed().is_empty() {
        out.push(Op::AlterColumn(rest));
    }
    let check = Check::new(format!("{} IS NOT NULL", quote(&column)))
        .name(conv(not_null_check_name(&a.table, &column)));
    let name = check.name.clone().unwrap_or_default();
    out.push(Op::CreateCheckConstraint {
        schema: a.schema.clone(),
        table: a.table.clone(),
        check: check.clone(),
        not_valid: true,
    });
    out.push(Op::ValidateConstraint {
        schema: a.schema.clone(),
        table: a.table.clone(),
        name: name.clone(),
        kind: ConstraintKind::Check,
    });
    let mut only = AlterColumn::new(a.table.clone(), column);
    only.schema = a.schema.clone();
    only.nullable = Some(false);
    only.existing_nullable = Some(a.existing_nullable.unwrap_or(true));
    only.existing_type = a.type_.clone().or(a.existing_type.clone());
    only.existing_server_default = match &a.server_default {
        Some(d) => Some(d.clone()),
        None => a.existing_server_default.clone(),
    };
    only.existing_comment = match &a.comment {
        Some(c) => Some(c.clone()),
        None => a.existing_comment.clone(),
    };
    out.push(Op::AlterColumn(only));
    out.push(Op::DropConstraint {
        schema: a.schema,
        table: a.table,
        name,
        kind: ConstraintKind::Check,
        existing: Some(super::Constraint::Check(check)),
    });
}

/// `<table>_<column>_not_null`, shortened (with a hash of the whole) to PostgreSQL's limit.
fn not_null_check_name(table: &str, column: &str) -> String {
    let whole = format!("{table}_{column}_not_null");
    if whole.len() <= MAX_NAME {
        return whole;
    }
    // FNV-1a: stable across builds and platforms, unlike the std hasher.
    let hash = whole.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let suffix = format!("_{:08x}_nn", hash as u32);
    let mut cut = MAX_NAME - suffix.len();
    while !whole.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}", &whole[..cut])
}

/// The column as it must be written in SQL: plain when it is a lower-case identifier.
fn quote(column: &str) -> String {
    let plain = column
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && column
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        column.to_owned()
    } else {
        format!("\"{}\"", column.replace('"', "\"\""))
    }
}

/// The name the foreign key gets: its own, else the naming convention's.
fn fk_name(md: &MetaData, table: &str, fk: &ForeignKey) -> Option<String> {
    if fk.name.is_some() {
        return fk.name.clone();
    }
    let mut tmp = Table::new(table);
    tmp.foreign_keys.push(fk.clone());
    md.naming().apply(&mut tmp);
    tmp.foreign_keys.pop().and_then(|f| f.name)
}

/// The name the check gets: its own, else the naming convention's.
fn check_name(md: &MetaData, table: &str, check: &Check) -> Option<String> {
    let mut tmp = Table::new(table);
    tmp.checks.push(check.clone());
    md.naming().apply(&mut tmp);
    tmp.checks.pop().and_then(|c| c.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::SwapStep;
    use crate::{Column, Type};

    fn before() -> MetaData {
        MetaData::new().table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("note", Type::Text)),
        )
    }

    #[test]
    fn set_not_null_goes_through_a_validated_check() {
        let mut a = AlterColumn::new("orders", "note");
        a.nullable = Some(false);
        a.existing_nullable = Some(true);
        a.existing_type = Some(Type::Text);
        let ops = online_rewrite(vec![Op::AlterColumn(a)], &before());
        let calls: Vec<String> = ops.iter().map(Op::describe).collect();
        assert_eq!(
            calls,
            [
                "create check constraint orders_note_not_null on orders NOT VALID",
                "validate check constraint orders_note_not_null on orders",
                "alter column orders.note (nullable)",
                "drop check constraint orders_note_not_null on orders",
            ]
        );
        assert!(matches!(
            &ops[0],
            Op::CreateCheckConstraint { not_valid: true, check, .. } if check.expr == "note IS NOT NULL"
        ));
    }

    #[test]
    fn a_rewriting_type_change_left_plain_is_named_with_what_is_in_the_way() {
        // `orders` has no primary key to batch the copy by.
        let mut a = AlterColumn::new("orders", "id");
        a.type_ = Some(Type::BigInt);
        a.existing_type = Some(Type::Integer);
        let ops = vec![Op::AlterColumn(a.clone())];
        assert_eq!(online_rewrite(ops.clone(), &before()), ops, "left plain");
        let words = swap_refusals(&ops, &before());
        assert_eq!(words.len(), 1, "{words:?}");
        assert!(
            words[0].starts_with("orders.id: the type change stays a plain ALTER COLUMN .. TYPE")
                && words[0].contains("no primary key to batch the copy by"),
            "{words:?}"
        );
        // A change in place (a wider varchar) needs no swap and gets no word; nor does a
        // swappable one.
        let mut wider = AlterColumn::new("orders", "note");
        wider.type_ = Some(Type::Text);
        wider.existing_type = Some(Type::Varchar(Some(10)));
        assert!(swap_refusals(&[Op::AlterColumn(wider)], &before()).is_empty());
        let keyed = MetaData::new().table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("qty", Type::Integer))
                .primary_key(["id"]),
        );
        let mut qty = AlterColumn::new("orders", "qty");
        qty.type_ = Some(Type::BigInt);
        qty.existing_type = Some(Type::Integer);
        assert!(swap_refusals(&[Op::AlterColumn(qty)], &keyed).is_empty());
    }

    #[test]
    fn index_ops_on_existing_tables_are_marked_concurrent() {
        let mut op = crate::ops::Operations::new();
        op.create_table("fresh", |t| {
            t.column("id", Type::Integer);
        });
        op.create_index("ix_fresh", "fresh", ["id"]);
        op.create_index("ix_old", "old", ["a"]);
        op.drop_index("ix_gone", "old");
        let flags: Vec<bool> = online_index_ops(op.into_ops())
            .iter()
            .filter_map(|o| match o {
                Op::CreateIndex { concurrently, .. } | Op::DropIndex { concurrently, .. } => {
                    Some(*concurrently)
                }
                _ => None,
            })
            .collect();
        assert_eq!(flags, [false, true, true]);
    }

    #[test]
    fn constraints_on_new_tables_stay_plain() {
        let t = Table::new("items").column(Column::new("id", Type::Integer));
        let ops = vec![
            Op::CreateTable { table: t },
            Op::CreateCheckConstraint {
                schema: None,
                table: "items".into(),
                check: Check::new("id > 0").name("items_id_positive"),
                not_valid: false,
            },
            Op::CreateCheckConstraint {
                schema: None,
                table: "orders".into(),
                check: Check::new("id > 0").name("orders_id_positive"),
                not_valid: false,
            },
        ];
        let out = online_rewrite(ops, &before());
        assert!(matches!(
            &out[1],
            Op::CreateCheckConstraint {
                not_valid: false,
                ..
            }
        ));
        assert!(matches!(
            &out[2],
            Op::CreateCheckConstraint {
                not_valid: true,
                ..
            }
        ));
        assert!(
            matches!(&out[3], Op::ValidateConstraint { name, .. } if name == "orders_id_positive")
        );
        assert_eq!(out.len(), 4);
    }

    fn keyed() -> MetaData {
        MetaData::new().table(
            Table::new("orders")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("amount", Type::BigInt).not_null())
                .primary_key(["id"]),
        )
    }

    #[test]
    fn a_rewriting_type_change_goes_through_add_copy_swap() {
        let mut a = AlterColumn::new("orders", "amount");
        a.type_ = Some(Type::BigInt);
        a.existing_type = Some(Type::Integer);
        a.comment = Some(Some("cents".into()));
        let ops = online_rewrite(vec![Op::AlterColumn(a)], &keyed());
        let calls: Vec<String> = ops.iter().map(Op::describe).collect();
        assert_eq!(
            calls,
            [
                "swap column type orders.amount to bigint (start: add the copy column and its sync trigger)",
                "swap column type orders.amount to bigint (backfill: copy the rows in batches)",
                "swap column type orders.amount to bigint (finish: swap the names and drop the old column)",
                "alter column orders.amount (comment)",
            ]
        );
        // The downgrade is an add-copy-swap back.
        let down = crate::ops::reverse_all(&ops[..3]).unwrap();
        assert!(matches!(
            &down[0],
            Op::SwapColumnType(s) if s.step == SwapStep::Start && s.type_ == Type::Integer
        ));
    }

    #[test]
    fn a_table_without_a_key_keeps_the_plain_alter() {
        let mut a = AlterColumn::new("orders", "note");
        a.type_ = Some(Type::Integer);
        a.existing_type = Some(Type::Text);
        a.using = Some("note::integer".into());
        let ops = online_rewrite(vec![Op::AlterColumn(a.clone())], &before());
        assert_eq!(ops, [Op::AlterColumn(a)]);
    }

    #[test]
    fn an_in_place_change_is_left_alone() {
        let mut a = AlterColumn::new("orders", "amount");
        a.type_ = Some(Type::Varchar(Some(20)));
        a.existing_type = Some(Type::Varchar(Some(10)));
        let ops = online_rewrite(vec![Op::AlterColumn(a.clone())], &keyed());
        assert_eq!(ops, [Op::AlterColumn(a)]);
    }

    #[test]
    fn long_names_are_shortened_to_the_limit() {
        let n = not_null_check_name(&"t".repeat(40), &"c".repeat(40));
        assert!(n.len() <= MAX_NAME, "{n}");
        assert!(n.ends_with("_nn"));
    }
}

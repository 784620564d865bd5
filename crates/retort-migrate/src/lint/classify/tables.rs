//! Tables: create, drop, rename; SQLite's table rebuild.

use super::columns::style;
use super::*;

/// The effect of a table op.
pub(super) fn classify(op: &Op, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) -> Effect {
    match op {
        Op::CreateTable { table } => {
            for c in &table.columns {
                style(ctx, &show(&tref(&table.schema, &table.name)), c, out);
            }
            Effect {
                lock: (!table.foreign_keys.is_empty())
                    .then_some("SHARE ROW EXCLUSIVE (referenced tables)"),
                ..Effect::default()
            }
        }
        Op::DropTable {
            schema,
            name,
            data_loss_ok,
            ..
        } => {
            let t = tref(schema, name);
            // Marked `.data_loss_ok()`: the reviewer said the rows may go.
            if !ctx.is_new(&t) && !data_loss_ok {
                out.push(Candidate::new(
                    Rule::DropTable,
                    show(&t),
                    format!("drops table {}", show(&t)),
                    Check::TableHasRows(t),
                ));
            }
            access_exclusive()
        }
        Op::RenameTable {
            schema,
            old_name,
            new_name,
        } => {
            let t = tref(schema, old_name);
            if !ctx.is_new(&t) {
                out.push(Candidate::new(
                    Rule::RenamingTable,
                    show(&t),
                    format!("renames table {} to {new_name}", show(&t)),
                    Check::Always,
                ));
            }
            access_exclusive()
        }
        // Other kinds are classified in their own modules (`super::classify` matches them all).
        _ => Effect::default(),
    }
}

pub(super) fn sqlite_rebuild(op: &Op, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) {
    let table = match op {
        Op::AlterColumn(a) => tref(&a.schema, &a.table),
        Op::CreateForeignKey { schema, table, .. }
        | Op::CreateCheckConstraint { schema, table, .. }
        | Op::CreateUniqueConstraint { schema, table, .. }
        | Op::CreatePrimaryKey { schema, table, .. }
        | Op::DropConstraint { schema, table, .. }
        | Op::DropColumn { schema, table, .. }
        | Op::AddColumn { schema, table, .. } => tref(schema, table),
        Op::RecreateEnum { .. } => return,
        _ => return,
    };
    if ctx.is_new(&table) {
        return;
    }
    let rebuilds = retort_dialect::sqlite::Sqlite
        .needs_foreign_keys_off(std::slice::from_ref(op), ctx.schema)
        .unwrap_or(false);
    if rebuilds {
        out.push(Candidate::new(
            Rule::SqliteTableRebuild,
            show(&table),
            format!("{} rebuilds table {}", op.describe(), show(&table)),
            Check::TableHasRows(table),
        ));
    }
}

//! MySQL/MariaDB: the ALTERs InnoDB cannot do online. `ALGORITHM=INPLACE, LOCK=NONE` makes
//! the server refuse these rather than copy or lock the table; the lint names them first.
//!
//! What is classified here was read off MariaDB 10.11's refusals (the test runs every firing
//! op with `ALGORITHM=INPLACE, LOCK=NONE` and expects the refusal, every silent one and
//! expects it to pass): a column type change (`Cannot change column type`) other than a
//! VARCHAR made longer within the same length prefix (up to 63 characters in utf8mb4, one
//! byte; above, two), a check constraint added, a foreign key added (`Adding foreign keys
//! needs foreign_key_checks=OFF`, which the runner never turns off), a primary key dropped
//! without a new one, a column added with a stored generated value or a volatile default
//! (`UUID()`): all copied (`mysql-copying-alter`).
//!
//! No rule for an ALTER done in place with writes waiting (`LOCK=NONE` refused, `LOCK=SHARED`
//! accepted): MariaDB does that for an AUTO_INCREMENT column added together with its key and
//! for a FULLTEXT or SPATIAL index, and Retort's ops say neither (an AUTO_INCREMENT column
//! added alone is refused outright, whatever the clauses).

use super::*;

/// utf8mb4's longest character, in bytes: a VARCHAR of up to 255 bytes keeps a one-byte
/// length prefix.
const UTF8MB4_CHAR_BYTES: u32 = 4;

/// The candidates of `op` on MySQL/MariaDB (none for a table created in the same run: it is
/// empty and nobody uses it yet).
pub(super) fn online(op: &Op, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) {
    let Some(t) = op_table(op) else {
        return;
    };
    if ctx.is_new(&t) {
        return;
    }
    let copying = |detail: String| {
        Candidate::new(
            Rule::MysqlCopyingAlter,
            show(&t),
            detail,
            Check::TableHasRows(t.clone()),
        )
    };
    match op {
        Op::AlterColumn(a) => {
            let Some(new) = &a.type_ else {
                return;
            };
            let existing = ctx
                .schema
                .get_table(a.schema.as_deref(), &a.table)
                .and_then(|tb| tb.columns.iter().find(|c| c.name == a.column))
                .map(|c| c.ty.clone());
            let Some(old) = a.existing_type.clone().or(existing) else {
                // The old type unknown: the change may copy.
                out.push(copying(format!(
                    "changes the type of {}.{} (old type unknown): ALGORITHM=COPY",
                    show(&t),
                    a.column
                )));
                return;
            };
            let old = old.for_dialect(Some(ctx.kind())).into_owned();
            let new = new.for_dialect(Some(ctx.kind())).into_owned();
            if !in_place_type_change(&old, &new) {
                out.push(copying(format!(
                    "changes the type of {}.{} ({old:?} -> {new:?}): ALGORITHM=COPY",
                    show(&t),
                    a.column
                )));
            }
        }
        Op::CreateForeignKey { foreign_key, .. } => out.push(copying(format!(
            "adds foreign key {} ({}) with foreign_key_checks on: ALGORITHM=COPY",
            foreign_key.name.as_deref().unwrap_or("(unnamed)"),
            foreign_key.columns.join(", ")
        ))),
        Op::CreateCheckConstraint { check, .. } => out.push(copying(format!(
            "adds check {} ({}): ALGORITHM=COPY",
            check.name.as_deref().unwrap_or("(unnamed)"),
            check.expr
        ))),
        Op::DropConstraint {
            kind: ConstraintKind::PrimaryKey,
            ..
        } => out.push(copying(format!(
            "drops the primary key of {} without adding one: ALGORITHM=COPY",
            show(&t)
        ))),
        Op::AddColumn { column, .. } => {
            let what = if column.computed.as_ref().is_some_and(|c| c.stored) {
                "a stored generated value"
            } else if column
                .server_default
                .as_ref()
                .is_some_and(|d| is_volatile(d, ctx.kind()))
            {
                "a volatile default"
            } else {
                return;
            };
            out.push(copying(format!(
                "adds column {}.{} with {what}: ALGORITHM=COPY",
                show(&t),
                column.name
            )));
        }
        _ => {}
    }
}

/// Functions whose value changes row by row: a default using one is computed for every
/// existing row, by a copy of the table.
const VOLATILE: &[&str] = &["uuid(", "uuid_short(", "rand(", "sysdate("];

fn is_volatile(d: &ServerDefault, kind: DialectKind) -> bool {
    match d.for_dialect(Some(kind)).as_deref() {
        Some(ServerDefault::Expr(e)) => {
            let e = e.to_ascii_lowercase().replace(' ', "");
            VOLATILE.iter().any(|f| e.contains(f))
        }
        _ => false,
    }
}

/// Whether InnoDB changes `old` to `new` in place: the same type, or a VARCHAR made longer
/// whose length prefix keeps its size in utf8mb4 (`VARCHAR` without a length is MySQL's
/// `VARCHAR(255)`).
fn in_place_type_change(old: &Type, new: &Type) -> bool {
    let varchar = |t: &Type| match t {
        Type::Varchar(n) => Some(n.unwrap_or(255)),
        _ => None,
    };
    if old == new {
        return true;
    }
    match (varchar(old), varchar(new)) {
        (Some(a), Some(b)) => {
            let short = |n: u32| n * UTF8MB4_CHAR_BYTES <= 255;
            b >= a && short(a) == short(b)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varchar_widening_in_place_only_within_its_length_prefix() {
        let v = |n| Type::Varchar(Some(n));
        assert!(in_place_type_change(&v(50), &v(60)));
        assert!(in_place_type_change(&v(100), &v(200)));
        assert!(!in_place_type_change(&v(50), &v(100)));
        assert!(!in_place_type_change(&v(60), &v(50)));
        assert!(!in_place_type_change(&Type::Integer, &Type::BigInt));
        assert!(in_place_type_change(&Type::Integer, &Type::Integer));
    }
}

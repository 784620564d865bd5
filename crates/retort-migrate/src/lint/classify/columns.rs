//! Columns: add, drop, alter (type changes, narrowing, NOT NULL, defaults) and the style
//! rules on column types.

use super::*;

/// The effect of a column op.
pub(super) fn classify(op: &Op, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) -> Effect {
    match op {
        Op::AddColumn {
            schema,
            table,
            column,
        } => add_column(ctx, tref(schema, table), column, out),
        Op::DropColumn {
            schema,
            table,
            column,
            data_loss_ok,
            ..
        } => {
            let t = tref(schema, table);
            // Marked `.data_loss_ok()`: the reviewer said the values may go.
            if !ctx.is_new(&t) && !data_loss_ok {
                out.push(Candidate::new(
                    Rule::DropColumn,
                    format!("{}.{column}", show(&t)),
                    format!("drops column {}.{column}", show(&t)),
                    Check::ColumnHasValues(t, column.clone()),
                ));
            }
            access_exclusive()
        }
        Op::AlterColumn(a) => alter_column(ctx, a, out),
        Op::SwapColumnType(s) => swap_column_type(ctx, s, out),
        // Other kinds are classified in their own modules (`super::classify` matches them all).
        _ => Effect::default(),
    }
}

/// Functions whose value changes row by row (PostgreSQL `VOLATILE`), so a default using
/// one is computed for every existing row when the column is added.
const VOLATILE: &[&str] = &[
    "random(",
    "gen_random_uuid(",
    "uuid_generate_v1",
    "uuid_generate_v4(",
    "clock_timestamp(",
    "timeofday(",
    "nextval(",
    "txid_current(",
    "setseed(",
];

fn is_volatile(d: &ServerDefault, kind: DialectKind) -> bool {
    match d.for_dialect(Some(kind)).as_deref() {
        Some(ServerDefault::Expr(e)) => {
            let e = e.to_ascii_lowercase().replace(' ', "");
            VOLATILE.iter().any(|f| e.contains(f))
        }
        _ => false,
    }
}

fn add_column(ctx: &Ctx<'_>, t: TableRef, column: &Column, out: &mut Vec<Candidate>) -> Effect {
    let object = format!("{}.{}", show(&t), column.name);
    style(ctx, &show(&t), column, out);
    let mut effect = access_exclusive();
    if ctx.is_new(&t) {
        return effect;
    }
    let required = !column.nullable
        && column.server_default.is_none()
        && column.identity.is_none()
        && column.computed.is_none()
        && column.serial.is_none();
    if required {
        out.push(Candidate::new(
            Rule::AddingRequiredField,
            object.clone(),
            format!("adds NOT NULL column {object} without a default"),
            Check::TableHasRows(t.clone()),
        ));
    }
    if ctx.pg() {
        let volatile = column
            .server_default
            .as_ref()
            .is_some_and(|d| is_volatile(d, ctx.kind()));
        if volatile || column.identity.is_some() || column.serial.is_some() {
            effect.rewrites = true;
            let what = if volatile {
                "a volatile default"
            } else {
                "generated values (identity or serial)"
            };
            out.push(Candidate::new(
                Rule::AddingFieldWithVolatileDefault,
                object.clone(),
                format!("adds column {object} with {what}"),
                Check::TableLarge(t.clone()),
            ));
        }
        if column.computed.as_ref().is_some_and(|c| c.stored) {
            effect.rewrites = true;
            out.push(Candidate::new(
                Rule::AddingStoredGeneratedColumn,
                object.clone(),
                format!("adds stored generated column {object}"),
                Check::TableLarge(t),
            ));
        }
    }
    effect
}

/// The style rules (off unless enabled) over a column being created.
pub(super) fn style(ctx: &Ctx<'_>, table: &str, column: &Column, out: &mut Vec<Candidate>) {
    let object = format!("{table}.{}", column.name);
    let ty = column.ty.for_dialect(Some(ctx.kind()));
    let generated = column.identity.is_some() || column.serial.is_some();
    if generated && matches!(*ty, Type::Integer | Type::SmallInt) {
        out.push(Candidate::new(
            Rule::PreferBigintOverInt,
            object.clone(),
            format!("generated key {object} is {}", type_name(&ty)),
            Check::Always,
        ));
    }
    if ctx.pg() {
        if let Type::Varchar(Some(n)) = *ty {
            out.push(Candidate::new(
                Rule::PreferTextField,
                object.clone(),
                format!("{object} is varchar({n})"),
                Check::Always,
            ));
        }
        if matches!(*ty, Type::Timestamp { tz: false }) {
            out.push(Candidate::new(
                Rule::PreferTimestamptz,
                object.clone(),
                format!("{object} is timestamp without time zone"),
                Check::Always,
            ));
        }
        if column.serial.is_some() {
            out.push(Candidate::new(
                Rule::PreferIdentity,
                object.clone(),
                format!("{object} is serial"),
                Check::Always,
            ));
        }
    }
    if matches!(*ty, Type::Char(_)) {
        out.push(Candidate::new(
            Rule::BanCharField,
            object.clone(),
            format!("{object} is char"),
            Check::Always,
        ));
    }
}

fn type_name(t: &Type) -> String {
    format!("{t:?}").to_ascii_lowercase()
}

/// The online form of a type change (add-copy-swap): no rewrite under a lock, so no
/// `changing-column-type`; its old column is a copy when dropped, so no `drop-column`. A
/// narrowing still loses or refuses values: `narrowing-type` applies at its start.
fn swap_column_type(ctx: &Ctx<'_>, s: &ColumnSwap, out: &mut Vec<Candidate>) -> Effect {
    let t = tref(&s.schema, &s.table);
    let effect = match s.step {
        // ADD COLUMN without a default and CREATE TRIGGER: a moment each.
        SwapStep::Start | SwapStep::Finish => access_exclusive(),
        // Batched UPDATEs, each committed: row locks only, every row read once.
        SwapStep::Backfill => Effect {
            lock: Some("ROW EXCLUSIVE"),
            scans: true,
            ..Effect::default()
        },
    };
    if s.step != SwapStep::Start || ctx.is_new(&t) {
        return effect;
    }
    let old = s.existing_type.clone().or_else(|| {
        ctx.schema
            .get_table(s.schema.as_deref(), &s.table)
            .and_then(|tb| tb.get_column(&s.column))
            .map(|c| c.ty.clone())
    });
    let new = s.type_.for_dialect(Some(ctx.kind())).into_owned();
    let old = old.map(|o| o.for_dialect(Some(ctx.kind())).into_owned());
    if let Some(o) = &old {
        narrowing_type(ctx, &t, &s.column, o, &new, out);
    }
    effect
}

/// `narrowing-type` when `old` -> `new` loses or refuses values of `t.column`, with the
/// check of the rows that says whether any would be: shared by a plain type change and the
/// start of an add-copy-swap.
fn narrowing_type(
    ctx: &Ctx<'_>,
    t: &TableRef,
    column: &str,
    old: &Type,
    new: &Type,
    out: &mut Vec<Candidate>,
) {
    let col = quote(crate::lint::probe::dialect(ctx.backend), column);
    let Some(narrow) = narrowing(old, new, &col, ctx.pg()) else {
        return;
    };
    let object = format!("{}.{column}", show(t));
    let change = format!("{} -> {}", type_name(old), type_name(new));
    let check = match narrow {
        Some((condition, what)) => Check::RowsMatch {
            table: t.clone(),
            condition,
            what,
        },
        None => Check::ColumnHasValues(t.clone(), column.to_owned()),
    };
    out.push(Candidate::new(
        Rule::NarrowingType,
        object.clone(),
        format!("narrows the type of {object} ({change})"),
        check,
    ));
}

fn alter_column(ctx: &Ctx<'_>, a: &AlterColumn, out: &mut Vec<Candidate>) -> Effect {
    let t = tref(&a.schema, &a.table);
    let object = format!("{}.{}", show(&t), a.column);
    let d = crate::lint::probe::dialect(ctx.backend);
    let col = quote(d, &a.column);
    let mut effect = if a.comment.is_some() && a.changed().len() == 1 {
        Effect {
            lock: Some("SHARE UPDATE EXCLUSIVE"),
            ..Effect::default()
        }
    } else {
        access_exclusive()
    };
    if ctx.is_new(&t) {
        return effect;
    }
    let existing_column = ctx
        .schema
        .get_table(a.schema.as_deref(), &a.table)
        .and_then(|tb| tb.columns.iter().find(|c| c.name == a.column));
    if a.nullable == Some(false) {
        effect.scans = true;
        let proven = ctx
            .schema
            .get_table(a.schema.as_deref(), &a.table)
            .is_some_and(|tb| {
                tb.checks
                    .iter()
                    .any(|c| proves_not_null(&c.expr, &a.column))
            });
        if ctx.pg() && !proven {
            out.push(Candidate::new(
                Rule::SettingNotNull,
                object.clone(),
                format!("sets {object} NOT NULL"),
                Check::TableLarge(t.clone()),
            ));
        }
        out.push(
            Candidate::new(
                Rule::NotNullViolation,
                object.clone(),
                format!("sets {object} NOT NULL"),
                Check::RowsMatch {
                    table: t.clone(),
                    condition: format!("o.{col} IS NULL"),
                    what: format!("rows where {} is NULL", a.column),
                },
            )
            .live_only(),
        );
    }
    if a.nullable == Some(true) {
        out.push(Candidate::new(
            Rule::DropNotNull,
            object.clone(),
            format!("drops NOT NULL on {object}"),
            Check::Always,
        ));
    }
    if let Some(new_name) = &a.new_name {
        out.push(Candidate::new(
            Rule::RenamingColumn,
            object.clone(),
            format!("renames column {object} to {new_name}"),
            Check::Always,
        ));
    }
    if let Some(new) = &a.type_ {
        let old = a
            .existing_type
            .clone()
            .or_else(|| existing_column.map(|c| c.ty.clone()));
        let new = new.for_dialect(Some(ctx.kind())).into_owned();
        let old = old.map(|o| o.for_dialect(Some(ctx.kind())).into_owned());
        let change = match &old {
            Some(o) => format!("{} -> {}", type_name(o), type_name(&new)),
            None => format!("to {}", type_name(&new)),
        };
        if ctx.pg() && !old.as_ref().is_some_and(|o| binary_coercible(o, &new)) {
            effect.rewrites = true;
            out.push(Candidate::new(
                Rule::ChangingColumnType,
                object.clone(),
                format!("changes the type of {object} ({change})"),
                Check::TableLarge(t.clone()),
            ));
        }
        if let Some(o) = &old {
            narrowing_type(ctx, &t, &a.column, o, &new, out);
        }
    }
    effect
}

/// Whether a check's expression is `col IS NOT NULL` (quotes, case and parentheses aside),
/// which lets PostgreSQL 12+ set NOT NULL without a scan.
pub(super) fn proves_not_null(expr: &str, column: &str) -> bool {
    let norm: String = expr
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '"' | '`'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    norm == format!("{} is not null", column.to_ascii_lowercase())
}

/// PostgreSQL changes these without rewriting the table
/// ([`retort_core::ops::online::changes_in_place`], which `online_rewrite` uses too).
pub(super) fn binary_coercible(old: &Type, new: &Type) -> bool {
    retort_core::ops::online::changes_in_place(old, new)
}

fn int_range(t: &Type) -> Option<(i64, i64)> {
    match t {
        Type::SmallInt => Some((i16::MIN.into(), i16::MAX.into())),
        Type::Integer => Some((i32::MIN.into(), i32::MAX.into())),
        Type::BigInt => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

fn text_len(t: &Type) -> Option<Option<u32>> {
    match t {
        Type::Text | Type::Varchar(None) => Some(None),
        Type::Varchar(Some(n)) => Some(Some(*n)),
        Type::Char(n) => Some(Some(n.unwrap_or(1))),
        _ => None,
    }
}

/// `Some(check)` when `old -> new` can lose or reject values: the check is the condition
/// (over alias `o`) of the rows that do not fit where one can be written, else `None`.
#[allow(clippy::type_complexity)]
pub(super) fn narrowing(
    old: &Type,
    new: &Type,
    col: &str,
    pg: bool,
) -> Option<Option<(String, String)>> {
    use Type::*;
    if let (Some(a), Some(b)) = (text_len(old), text_len(new)) {
        return match (a, b) {
            (_, None) => None,
            (Some(a), Some(b)) if b >= a => None,
            (_, Some(b)) => Some(Some((
                format!("length(o.{col}) > {b}"),
                format!("values longer than {b} characters"),
            ))),
        };
    }
    if let (Some((lo1, hi1)), Some((lo2, hi2))) = (int_range(old), int_range(new)) {
        if lo2 <= lo1 && hi2 >= hi1 {
            return None;
        }
        return Some(Some((
            format!("(o.{col} < {lo2} OR o.{col} > {hi2})"),
            format!("values outside {lo2}..{hi2}"),
        )));
    }
    match (old, new) {
        (
            Numeric {
                precision: p1,
                scale: s1,
            },
            Numeric {
                precision: p2,
                scale: s2,
            },
        ) => {
            // An unbounded numeric has any scale; a bounded one without a scale has 0.
            let old_scale = if p1.is_none() {
                None
            } else {
                Some(s1.unwrap_or(0))
            };
            let fewer = match (p1, p2) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
            } || p2.is_some() && old_scale.map_or(true, |o| s2.unwrap_or(0) < o);
            let p = (*p2)?;
            let scale = s2.unwrap_or(0);
            let limit = format!("1{}", "0".repeat(p.saturating_sub(scale) as usize));
            fewer.then(|| {
                Some((
                    format!("(o.{col} <> ROUND(o.{col}, {scale}) OR ABS(o.{col}) >= {limit})"),
                    format!("values that do not fit numeric({p}, {scale})"),
                ))
            })
        }
        (Double, Real) => Some(None),
        // Text to an integer: values that are not whole numbers (PostgreSQL's regular
        // expressions; elsewhere every value is suspect).
        (a, b) if pg && text_len(a).is_some() && int_range(b).is_some() => Some(Some((
            format!("o.{col} !~ '^\\s*[-+]?[0-9]+\\s*$'"),
            "values that are not whole numbers".to_owned(),
        ))),
        // Text to anything else that is not text: values that do not parse are rejected.
        (a, b)
            if text_len(a).is_some()
                && text_len(b).is_none()
                && !matches!(b, Json | Jsonb | Custom(_) | Enum(_)) =>
        {
            Some(None)
        }
        _ => None,
    }
}

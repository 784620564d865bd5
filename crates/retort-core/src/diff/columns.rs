//! Columns of a table on both sides, matched by name (their order is never a difference):
//! added ones go last, removed ones are dropped with their definition, and every changed
//! property of a kept column goes into one `alter_column` that records all old values.

use super::options::{ObjectKind, ObjectRef};
use super::{Cx, Step};
use crate::ops::{AlterColumn, Op};
use crate::{Column, Sequence, Serial, ServerDefault, Table};

pub(super) struct ColumnChanges {
    pub drops: Vec<Step>,
    pub adds: Vec<Step>,
    pub alters: Vec<Step>,
    /// The dropped and added columns, for rename hints.
    pub dropped: Vec<Column>,
    pub added: Vec<Column>,
}

/// Whether a column can hold NULL, as the database sees it: primary-key and identity
/// columns cannot, whatever the model's flag says.
pub(super) fn effectively_nullable(t: &Table, c: &Column) -> bool {
    c.nullable && c.identity.is_none() && c.serial.is_none() && !t.is_primary_key(&c.name)
}

fn included(cx: &Cx, t: &Table, c: &str, in_database: bool, in_model: bool) -> bool {
    cx.opts.hook(ObjectRef {
        kind: ObjectKind::Column,
        schema: t.schema.as_deref(),
        table: Some(&t.name),
        name: Some(c),
        in_database,
        in_model,
    })
}

pub(super) fn compare_columns(cx: &Cx, d: &Table, m: &Table) -> ColumnChanges {
    let mut out = ColumnChanges {
        drops: Vec::new(),
        adds: Vec::new(),
        alters: Vec::new(),
        dropped: Vec::new(),
        added: Vec::new(),
    };
    let q = d.qualified_name();
    for mc in &m.columns {
        let dc = d.get_column(&mc.name);
        if !included(cx, m, &mc.name, dc.is_some(), true) {
            continue;
        }
        match dc {
            // A parent the table inherits from already brings it (its own add reaches
            // the children).
            None if mc.inherited && !d.inherits.is_empty() => {}
            // The parent's definition is the column's: what changes, changes there.
            Some(dc) if dc.inherited && mc.inherited => {}
            None => {
                out.added.push(mc.clone());
                out.adds.push(Step::new(
                    Op::AddColumn {
                        schema: d.schema.clone(),
                        table: d.name.clone(),
                        column: mc.clone(),
                    },
                    format!("Detected added column '{q}.{}'", mc.name),
                ));
            }
            Some(dc) => {
                let (before, after) = compare_serial(cx, d, dc, mc);
                out.alters.extend(before);
                if let Some((alter, log)) = compare_column(cx, d, dc, m, mc) {
                    // One op, one line per changed property (Alembic logs each).
                    out.alters.push(Step {
                        op: Op::AlterColumn(alter),
                        log,
                    });
                }
                out.alters.extend(after);
            }
        }
    }
    recreate_generated_over_type_changes(cx, d, m, &mut out);
    // Generated columns first: they depend on the columns they compute from.
    let generated_first = d
        .columns
        .iter()
        .filter(|c| c.computed.is_some())
        .chain(d.columns.iter().filter(|c| c.computed.is_none()));
    for dc in generated_first {
        if m.get_column(&dc.name).is_some() || !included(cx, d, &dc.name, true, false) {
            continue;
        }
        // A child cannot drop what a parent gives it; the parent's drop takes it.
        if dc.inherited && !m.inherits.is_empty() {
            continue;
        }
        out.dropped.push(dc.clone());
        out.drops.push(Step::new(
            Op::DropColumn {
                schema: d.schema.clone(),
                table: d.name.clone(),
                column: dc.name.clone(),
                existing: Some(dc.clone()),
                data_loss_ok: false,
            },
            format!("Detected removed column '{q}.{}'", dc.name),
        ));
    }
    out
}

/// A column's type cannot change under a generated column that computes from it
/// (PostgreSQL refuses), so a kept, otherwise unchanged generated column over a column whose
/// type changes is dropped first and added again after the alters (its values are computed
/// anew). SQLite rebuilds the table either way.
fn recreate_generated_over_type_changes(cx: &Cx, d: &Table, m: &Table, out: &mut ColumnChanges) {
    let retyped: Vec<String> = out
        .alters
        .iter()
        .filter_map(|s| match &s.op {
            Op::AlterColumn(a) if a.type_.is_some() => Some(a.column.clone()),
            _ => None,
        })
        .collect();
    if retyped.is_empty() {
        return;
    }
    let q = d.qualified_name();
    for dc in &d.columns {
        let (Some(computed), Some(mc)) = (&dc.computed, m.get_column(&dc.name)) else {
            continue;
        };
        let altered = out
            .alters
            .iter()
            .any(|s| matches!(&s.op, Op::AlterColumn(a) if a.column == dc.name));
        let over = super::dialect::mentioned_columns(d, &computed.expr)
            .into_iter()
            .find(|c| retyped.iter().any(|r| r == c));
        let Some(over) = over else { continue };
        if altered || !included(cx, d, &dc.name, true, true) {
            continue;
        }
        out.drops.push(Step::new(
            Op::DropColumn {
                schema: d.schema.clone(),
                table: d.name.clone(),
                column: dc.name.clone(),
                existing: Some(dc.clone()),
                data_loss_ok: false,
            },
            format!(
                "Generated column '{q}.{}' dropped: the type of '{over}' it computes from changes",
                dc.name
            ),
        ));
        out.alters.push(Step::new(
            Op::AddColumn {
                schema: d.schema.clone(),
                table: d.name.clone(),
                column: mc.clone(),
            },
            format!(
                "Generated column '{q}.{}' added again after the type change",
                dc.name
            ),
        ));
    }
}

/// Whether two optional server defaults are the same default. A NULL default is no default:
/// PostgreSQL stores `DEFAULT NULL` (or `NULL::text`) as no default at all, and every
/// database fills NULL in when a column has none, so both spellings mean the same.
pub(super) fn defaults_same(
    cx: &Cx,
    m: &Option<ServerDefault>,
    d: &Option<ServerDefault>,
    mc: &Column,
) -> bool {
    let m = m.as_ref().filter(|x| !default_is_null(x));
    let d = d.as_ref().filter(|x| !default_is_null(x));
    match (m, d) {
        (None, None) => true,
        (Some(a), Some(b)) => cx.dialect.defaults_equal(a, b, &mc.ty),
        _ => false,
    }
}

/// Whether a server default is SQL NULL: [`Literal::Null`](crate::Literal::Null), or an
/// expression that is `NULL`, optionally cast (`NULL::text`) and parenthesised, in any case.
pub fn default_is_null(default: &ServerDefault) -> bool {
    match default {
        ServerDefault::Literal(crate::Literal::Null) => true,
        ServerDefault::Literal(_) => false,
        // Resolved before any comparison; unresolved, it is not plainly NULL.
        ServerDefault::Variant { .. } => false,
        ServerDefault::Expr(sql) => {
            let mut s = sql.trim();
            while let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
                s = inner.trim();
            }
            let head = s.split("::").next().unwrap_or(s).trim();
            let head = head.trim_start_matches('(').trim_end_matches(')').trim();
            // A cast's type is words, brackets and digits; anything else (`NULL OR x`) is
            // not a plain NULL.
            let rest_is_casts = s.split("::").skip(1).all(|t| {
                t.chars().all(|c| {
                    c.is_alphanumeric()
                        || matches!(c, ' ' | '_' | '"' | '.' | '[' | ']' | '(' | ')' | ',')
                })
            });
            head.eq_ignore_ascii_case("null") && rest_is_casts
        }
    }
}

/// A kept column's serial (see the module notes of `diff`): the ops before its alter (the
/// sequence it no longer owns dropped, its default with it) and after it (a new one created,
/// owned by it, its default set), or its options altered.
fn compare_serial(cx: &Cx, d: &Table, dc: &Column, mc: &Column) -> (Vec<Step>, Vec<Step>) {
    let target = format!("{}.{}", d.qualified_name(), dc.name);
    let schema = d.schema.as_deref();
    let (old, new) = (cx.dialect.serial_of(dc), cx.dialect.serial_of(mc));
    let seq = |s: &Serial, ty| s.sequence(schema, &d.name, &dc.name, ty);
    let drop = |s: &Serial| {
        let existing = seq(s, &dc.ty);
        Step::new(
            Op::DropSequence {
                schema: existing.schema.clone(),
                name: existing.name.clone(),
                existing: Some(existing),
            },
            format!("Detected removed serial sequence on column '{target}'"),
        )
    };
    let create = |s: &Serial| {
        Step::new(
            Op::CreateSequence {
                sequence: Sequence {
                    last_value: None,
                    ..seq(s, &mc.ty)
                },
            },
            format!("Detected added serial sequence on column '{target}'"),
        )
    };
    match (&old, &new) {
        (None, None) => (Vec::new(), Vec::new()),
        (Some(o), None) => (vec![drop(o)], Vec::new()),
        (None, Some(n)) => (Vec::new(), vec![create(n)]),
        (Some(o), Some(n))
            if o.sequence_name(&d.name, &dc.name) != n.sequence_name(&d.name, &dc.name) =>
        {
            (vec![drop(o)], vec![create(n)])
        }
        (Some(o), Some(n)) => {
            // Compared at the model's type: a type change moves the sequence's type with
            // the column (the dialect's alter does it), and default limits with it.
            if o.options.minimal(&dc.ty) == n.options.minimal(&mc.ty) {
                return (Vec::new(), Vec::new());
            }
            let step = Step::new(
                Op::AlterSequence {
                    sequence: Sequence {
                        last_value: None,
                        ..seq(n, &mc.ty)
                    },
                    existing: Some(Sequence {
                        last_value: None,
                        ..seq(o, &dc.ty)
                    }),
                },
                format!("Detected changed serial sequence on column '{target}'"),
            );
            (Vec::new(), vec![step])
        }
    }
}

/// The alter that makes `dc` (database) into `mc` (model) and its log lines, or `None`.
fn compare_column(
    cx: &Cx,
    dt: &Table,
    dc: &Column,
    mt: &Table,
    mc: &Column,
) -> Option<(AlterColumn, Vec<String>)> {
    let target = format!("{}.{}", dt.qualified_name(), dc.name);
    let mut log = Vec::new();
    let mut a = AlterColumn {
        schema: dt.schema.clone(),
        table: dt.name.clone(),
        column: dc.name.clone(),
        existing_nullable: Some(dc.nullable),
        existing_type: Some(dc.ty.clone()),
        // A default the model keeps, told apart from its own only by how a backend spells it
        // (`ServerDefault::same_on`: `'0'` and `0` on an integer), is recorded as the model
        // spells it, not as this database printed it: a revision autogenerated here may run on
        // another backend, where the model's spelling is what `create_all` wrote (portable
        // histories), and the recorded old value still fits this database's schema.
        existing_server_default: Some(match (&mc.server_default, &dc.server_default) {
            (Some(m), Some(d))
                if m.same_on(d, &dc.ty)
                    && defaults_same(cx, &mc.server_default, &dc.server_default, mc) =>
            {
                Some(m.clone())
            }
            _ => dc.server_default.clone(),
        }),
        existing_comment: Some(dc.comment.clone()),
        existing_identity: Some(dc.identity.as_deref().cloned()),
        existing_computed: Some(dc.computed.clone()),
        // Recorded where there is one, or where it changes (below): a column with the
        // default collation, which is most, does not have it spelled out in every alter.
        existing_collation: dc.collation.clone().map(Some),
        ..AlterColumn::default()
    };

    let (d_null, m_null) = (effectively_nullable(dt, dc), effectively_nullable(mt, mc));
    if d_null != m_null {
        a.nullable = Some(m_null);
        log.push(if m_null {
            format!("Detected NULL on column '{target}'")
        } else {
            format!("Detected NOT NULL on column '{target}'")
        });
    }

    if cx.opts.compare_types && !cx.dialect.column_types_equal(dt, mc, dc) {
        a.type_ = Some(mc.ty.clone());
        log.push(format!(
            "Detected type change from {} to {} on '{target}'",
            dc.ty, mc.ty
        ));
    }

    // A default the model's type implies (a serial's `nextval`) is no default to state.
    let implied = mc.server_default.is_none() && cx.dialect.default_implied_by_type(dt, mc, dc);
    if cx.opts.compare_server_defaults
        && !implied
        && !defaults_same(cx, &mc.server_default, &dc.server_default, mc)
    {
        a.server_default = Some(mc.server_default.clone());
        log.push(match (&dc.server_default, &mc.server_default) {
            (None, _) => format!("Detected added server default on column '{target}'"),
            (_, None) => format!("Detected removed server default on column '{target}'"),
            (Some(old), Some(new)) => format!(
                "Detected server default change from {} to {} on column '{target}'",
                default_text(old),
                default_text(new)
            ),
        });
    } else if a.type_.is_some()
        && (cx.opts.compare_server_defaults || casts_to_old_type(&dc.server_default))
        && mc
            .server_default
            .as_ref()
            .is_some_and(|m| !default_is_null(m))
    {
        // The same default, but a type change drops it and sets it again (see the dialect's
        // `alter_column`): set it as the model spells it, so it is stored as a fresh
        // `create_all` would store it (`'0'::bigint`, not the old column's `0`). No log line:
        // the default does not change. Even with default comparison off, a database text
        // that casts to the old type (`'new'::character varying`) must not be set back: the
        // new type may refuse it (an enum: "default expression is of type character varying").
        a.server_default = Some(mc.server_default.clone());
    }

    if mc.comment != dc.comment {
        a.comment = Some(mc.comment.clone());
        log.push(match &mc.comment {
            Some(_) => format!("Detected column comment '{target}'"),
            None => format!("Detected removed column comment '{target}'"),
        });
    }

    if mc.collation != dc.collation {
        a.collation = Some(mc.collation.clone());
        a.existing_collation = Some(dc.collation.clone());
        log.push(match (&dc.collation, &mc.collation) {
            (_, Some(c)) => format!("Detected collation {c} on column '{target}'"),
            (_, None) => format!("Detected removed collation on column '{target}'"),
        });
    }

    let identity_same = cx.dialect.identities_equal(mc, dc);
    if !identity_same {
        a.identity = Some(mc.identity.as_deref().cloned());
        log.push(match (&dc.identity, &mc.identity) {
            (None, _) => format!("Detected added identity on column '{target}'"),
            (_, None) => format!("Detected removed identity on column '{target}'"),
            _ => format!("Detected identity change on column '{target}'"),
        });
    }

    let computed_same = match (&mc.computed, &dc.computed) {
        (None, None) => true,
        (Some(x), Some(y)) => cx.dialect.computed_equal(x, y),
        _ => false,
    };
    if !computed_same {
        a.computed = Some(mc.computed.clone());
        log.push(match (&dc.computed, &mc.computed) {
            (None, _) => format!("Detected added computed expression on column '{target}'"),
            (_, None) => format!("Detected removed computed expression on column '{target}'"),
            _ => format!("Detected changed computed expression on column '{target}'"),
        });
    }

    (!log.is_empty()).then_some((a, log))
}

fn default_text(d: &ServerDefault) -> String {
    match d {
        ServerDefault::Expr(sql) => sql.clone(),
        ServerDefault::Literal(l) => format!("{l:?}"),
        ServerDefault::Variant { .. } => format!("{d:?}"),
    }
}

/// Whether the database's default text casts (`'new'::character varying`): after a type
/// change it would be set back with the old type's cast.
fn casts_to_old_type(default: &Option<ServerDefault>) -> bool {
    matches!(default, Some(ServerDefault::Expr(x)) if x.contains("::"))
}

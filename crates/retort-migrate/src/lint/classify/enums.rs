//! Enum types: a value added, a type recreated.

use super::*;

/// The effect of an enum op.
pub(super) fn classify(op: &Op, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) -> Effect {
    match op {
        Op::AddEnumValue {
            schema,
            enum_name,
            value,
            position,
            ..
        } => {
            if position.is_none() {
                out.push(Candidate::new(
                    Rule::RequireEnumValueOrdering,
                    show(&tref(schema, enum_name)),
                    format!("adds value '{value}' last"),
                    Check::Always,
                ));
            }
            Effect::default()
        }
        Op::RecreateEnum {
            schema,
            name,
            values,
            existing,
        } => recreate_enum(ctx, schema, name, values, existing.as_deref(), out),
        // Other kinds are classified in their own modules (`super::classify` matches them all).
        _ => Effect::default(),
    }
}

fn recreate_enum(
    ctx: &Ctx<'_>,
    schema: &Option<String>,
    name: &str,
    values: &[String],
    existing: Option<&[String]>,
    out: &mut Vec<Candidate>,
) -> Effect {
    // The columns of existing tables that use the type.
    let mut columns = Vec::new();
    for t in ctx.schema.tables() {
        let tr = (t.schema.clone(), t.name.clone());
        if ctx.is_new(&tr) {
            continue;
        }
        for c in &t.columns {
            let ty = c.ty.for_dialect(Some(ctx.kind()));
            let uses = |e: &retort_core::EnumRef| {
                e.name == name
                    && (e.schema.as_deref().or(t.schema.as_deref()) == schema.as_deref()
                        || schema.is_none() && e.schema.is_none())
            };
            let hit = match &*ty {
                Type::Enum(e) => uses(e),
                Type::Array(inner) => matches!(&**inner, Type::Enum(e) if uses(e)),
                _ => false,
            };
            if hit {
                columns.push((tr.clone(), c.name.clone()));
            }
        }
    }
    let enum_name = show(&tref(schema, name));
    if let Some(existing) = existing {
        let removed: Vec<String> = existing
            .iter()
            .filter(|v| !values.contains(v))
            .cloned()
            .collect();
        if !removed.is_empty() && !columns.is_empty() {
            out.push(Candidate::new(
                Rule::DropEnumValue,
                enum_name.clone(),
                format!("removes {} from enum {enum_name}", removed.join(", ")),
                Check::EnumInUse {
                    columns: columns.clone(),
                    values: removed,
                },
            ));
        }
    }
    let mut tables: Vec<TableRef> = columns.iter().map(|(t, _)| t.clone()).collect();
    tables.dedup();
    if ctx.pg() {
        for t in &tables {
            out.push(Candidate::new(
                Rule::ChangingColumnType,
                show(t),
                format!(
                    "re-creates enum {enum_name}, converting the columns of {} that use it",
                    show(t)
                ),
                Check::TableLarge(t.clone()),
            ));
        }
    }
    Effect {
        lock: (!tables.is_empty()).then_some("ACCESS EXCLUSIVE (tables using the type)"),
        rewrites: !tables.is_empty(),
        scans: false,
    }
}

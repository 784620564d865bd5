//! Standalone sequences: created before the tables (whose defaults may use them), altered in
//! place, dropped after everything else (nothing may use them by then). A serial column's
//! sequence is compared with its column (`columns`). Like an entity, a sequence the model
//! lacks is dropped only if it is under version control
//! ([`DiffOptions::versioned_sequences`](super::DiffOptions::versioned_sequences)); one made
//! by hand is left alone with a warning.

use super::options::{ObjectKind, ObjectRef};
use super::{Cx, Plan, Step};
use crate::ops::Op;
use crate::Sequence;

fn included(cx: &Cx, s: &Sequence, in_database: bool, in_model: bool) -> bool {
    cx.opts.schema_included(s.schema.as_deref())
        && cx.opts.hook(ObjectRef {
            kind: ObjectKind::Sequence,
            schema: s.schema.as_deref(),
            table: None,
            name: Some(&s.name),
            in_database,
            in_model,
        })
}

fn find<'a>(list: &'a [Sequence], s: &Sequence) -> Option<&'a Sequence> {
    list.iter()
        .find(|x| x.name == s.name && x.schema == s.schema)
}

fn label(s: &Sequence) -> String {
    crate::schema::qualified(s.schema.as_deref(), &s.name)
}

pub(super) fn compare_sequences(cx: &Cx, plan: &mut Plan) {
    for m in cx.model.sequences() {
        let d = find(cx.db.sequences(), m);
        if !included(cx, m, d.is_some(), true) {
            continue;
        }
        match d {
            None => plan.create_sequences.push(Step::new(
                Op::CreateSequence {
                    sequence: m.clone(),
                },
                format!("Detected added sequence '{}'", label(m)),
            )),
            Some(d) if same(d, m) => {}
            Some(d) => plan.create_sequences.push(Step::new(
                Op::AlterSequence {
                    sequence: Sequence {
                        owned_by: d.owned_by.clone(),
                        last_value: None,
                        ..m.clone()
                    },
                    existing: Some(Sequence {
                        last_value: None,
                        ..d.clone()
                    }),
                },
                format!("Detected changed sequence '{}'", label(m)),
            )),
        }
    }
    for d in cx.db.sequences() {
        if find(cx.model.sequences(), d).is_some() || !included(cx, d, true, false) {
            continue;
        }
        let versioned = cx.opts.versioned_sequences.as_ref().map_or(true, |v| {
            v.iter()
                .any(|(schema, name)| *name == d.name && *schema == d.schema)
        });
        if !versioned {
            plan.warnings.push(format!(
                "sequence '{}' is in the database but not in the model, and no revision created it: left alone (declare it in the model to keep it under version control, or drop it in a revision of its own)",
                label(d)
            ));
            continue;
        }
        plan.drop_sequences.push(Step::new(
            Op::DropSequence {
                schema: d.schema.clone(),
                name: d.name.clone(),
                existing: Some(d.clone()),
            },
            format!("Detected removed sequence '{}'", label(d)),
        ));
    }
}

/// The same type and options (an owner is the database's business: the model's sequences are
/// standalone; the last value is not compared).
fn same(d: &Sequence, m: &Sequence) -> bool {
    d.ty == m.ty && d.options.minimal(&d.ty) == m.options.minimal(&m.ty)
}

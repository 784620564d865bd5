//! Sequences: standalone ones live in the metadata; one owned by a column that uses it is that
//! column's [`Serial`] (creating it makes the column serial, dropping it makes it plain).

use super::super::error::ApplyError;
use super::super::op::qualified;
use super::context::{resolve, Cx};
use crate::{MetaData, Sequence, Serial};

/// Where a sequence of that name lives now.
enum Found {
    Standalone(usize),
    /// Table and column positions of the serial column owning it.
    Serial(usize, usize),
}

fn find(md: &MetaData, schema: Option<&str>, name: &str) -> Option<Found> {
    if let Some(pos) = md
        .sequences()
        .iter()
        .position(|s| s.name == name && s.schema.as_deref() == schema)
    {
        return Some(Found::Standalone(pos));
    }
    md.tables()
        .iter()
        .enumerate()
        .filter(|(_, t)| t.schema.as_deref() == schema)
        .find_map(|(ti, t)| {
            t.columns
                .iter()
                .position(|c| {
                    c.serial
                        .as_ref()
                        .is_some_and(|s| s.sequence_name(&t.name, &c.name) == name)
                })
                .map(|ci| Found::Serial(ti, ci))
        })
}

fn unknown(cx: &Cx, schema: Option<&str>, name: &str) -> ApplyError {
    ApplyError::UnknownSequence {
        op: cx.op.clone(),
        name: qualified(schema, name),
    }
}

pub(in crate::ops) fn create_sequence(
    cx: &Cx,
    md: &mut MetaData,
    sequence: &Sequence,
) -> Result<(), ApplyError> {
    let schema = resolve(md, sequence.schema.as_deref());
    if find(md, schema.as_deref(), &sequence.name).is_some() {
        return Err(ApplyError::SequenceExists {
            op: cx.op.clone(),
            name: qualified(schema.as_deref(), &sequence.name),
        });
    }
    let mut sequence = sequence.clone();
    sequence.schema = schema;
    match sequence.owned_by.clone() {
        Some(owner) => {
            let t = cx.table_mut(md, &sequence.schema, &owner.table)?;
            cx.need_column(t, &owner.column)?;
            let Some(c) = t.columns.iter_mut().find(|c| c.name == owner.column) else {
                return Ok(());
            };
            c.serial = Some(Box::new(Serial::from_sequence(
                &sequence,
                &owner.table,
                &owner.column,
            )));
            c.server_default = None;
            c.nullable = false;
        }
        None => md.sequences_mut().push(sequence),
    }
    Ok(())
}

pub(in crate::ops) fn drop_sequence(
    cx: &Cx,
    md: &mut MetaData,
    schema: &Option<String>,
    name: &str,
) -> Result<(), ApplyError> {
    let schema = resolve(md, schema.as_deref());
    match find(md, schema.as_deref(), name) {
        Some(Found::Standalone(pos)) => {
            md.sequences_mut().remove(pos);
        }
        Some(Found::Serial(t, c)) => md.tables_mut()[t].columns[c].serial = None,
        None => return Err(unknown(cx, schema.as_deref(), name)),
    }
    Ok(())
}

pub(in crate::ops) fn alter_sequence(
    cx: &Cx,
    md: &mut MetaData,
    sequence: &Sequence,
) -> Result<(), ApplyError> {
    let schema = resolve(md, sequence.schema.as_deref());
    match find(md, schema.as_deref(), &sequence.name) {
        Some(Found::Standalone(pos)) => {
            let s = &mut md.sequences_mut()[pos];
            s.ty = sequence.ty.clone();
            s.options = sequence.options.clone();
        }
        Some(Found::Serial(t, c)) => {
            if let Some(serial) = &mut md.tables_mut()[t].columns[c].serial {
                serial.options = sequence.options.clone();
            }
        }
        None => return Err(unknown(cx, schema.as_deref(), &sequence.name)),
    }
    Ok(())
}

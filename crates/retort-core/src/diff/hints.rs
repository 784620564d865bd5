//! Rename hints: a column (or table) that disappears while one of the same shape appears
//! may be a rename. The diff cannot know, so the ops stay a drop and an add (which loses
//! the data), and a hint says which call to use instead.

use super::columns::{defaults_same, effectively_nullable};
use super::Cx;
use crate::schema::qualified;
use crate::{Column, Table};

/// What a hint would rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RenameKind {
    /// A table dropped while one with the same columns and types is created in the same schema.
    Table,
    /// A column dropped while one of the same type, nullability, default, identity and generation
    /// is added to the same table.
    Column,
}

/// A drop and an add that may be one rename.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenameHint {
    /// Whether a table or a column may have been renamed.
    pub kind: RenameKind,
    /// The table's schema; `None`: the default schema.
    pub schema: Option<String>,
    /// The table (for a table hint: its old name).
    pub table: String,
    /// The name that disappears (the dropped table or column).
    pub old_name: String,
    /// The name that appears (the created table or added column).
    pub new_name: String,
}

impl RenameHint {
    /// The recorder call to use instead of the drop and the add, for a script comment.
    pub fn suggestion(&self) -> String {
        match self.kind {
            RenameKind::Table => {
                format!("op.rename_table({:?}, {:?});", self.old_name, self.new_name)
            }
            RenameKind::Column => format!(
                "op.alter_column({:?}, {:?}).new_column_name({:?});",
                self.table, self.old_name, self.new_name
            ),
        }
    }

    /// One line for the autogenerate log.
    pub fn message(&self) -> String {
        let what = match self.kind {
            RenameKind::Table => "table",
            RenameKind::Column => "column",
        };
        // A column under its table's bare name, a table under its schema.
        let owner = match self.kind {
            RenameKind::Column => Some(self.table.as_str()),
            RenameKind::Table => self.schema.as_deref(),
        };
        let (old, new) = (
            qualified(owner, &self.old_name),
            qualified(owner, &self.new_name),
        );
        format!(
            "Detected removed {what} '{old}' and added {what} '{new}' of the same shape: if it is a rename, use `{}` instead (a drop and an add lose the data)",
            self.suggestion()
        )
    }
}

fn same_column_shape(cx: &Cx, dt: &Table, d: &Column, mt: &Table, m: &Column) -> bool {
    cx.dialect.types_equal(&m.ty, &d.ty)
        && effectively_nullable(dt, d) == effectively_nullable(mt, m)
        && m.identity.is_some() == d.identity.is_some()
        && m.computed.is_some() == d.computed.is_some()
        && defaults_same(cx, &m.server_default, &d.server_default, m)
}

/// Pairs each dropped column with the first unpaired added column of the same shape.
pub(super) fn column_hints(
    cx: &Cx,
    d: &Table,
    m: &Table,
    dropped: &[Column],
    added: &[Column],
) -> Vec<RenameHint> {
    let mut taken = vec![false; added.len()];
    let mut out = Vec::new();
    for dc in dropped {
        let hit =
            (0..added.len()).find(|&i| !taken[i] && same_column_shape(cx, d, dc, m, &added[i]));
        if let Some(i) = hit {
            taken[i] = true;
            out.push(RenameHint {
                kind: RenameKind::Column,
                schema: d.schema.clone(),
                table: d.name.clone(),
                old_name: dc.name.clone(),
                new_name: added[i].name.clone(),
            });
        }
    }
    out
}

/// Tables of the same shape: the same schema and the same column names and types, in any
/// order.
fn same_table_shape(cx: &Cx, d: &Table, m: &Table) -> bool {
    d.schema == m.schema
        && d.columns.len() == m.columns.len()
        && d.columns.iter().all(|dc| {
            m.get_column(&dc.name)
                .is_some_and(|mc| cx.dialect.types_equal(&mc.ty, &dc.ty))
        })
}

/// Pairs each dropped table with the first unpaired added table of the same shape.
pub(super) fn table_hints(cx: &Cx, removed: &[Table], added: &[Table]) -> Vec<RenameHint> {
    let mut taken = vec![false; added.len()];
    let mut out = Vec::new();
    for d in removed {
        if let Some(i) = (0..added.len()).find(|&i| !taken[i] && same_table_shape(cx, d, &added[i]))
        {
            taken[i] = true;
            out.push(RenameHint {
                kind: RenameKind::Table,
                schema: d.schema.clone(),
                table: d.name.clone(),
                old_name: d.name.clone(),
                new_name: added[i].name.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(kind: RenameKind, schema: Option<&str>) -> RenameHint {
        RenameHint {
            kind,
            schema: schema.map(str::to_string),
            table: "orders".into(),
            old_name: "old".into(),
            new_name: "new".into(),
        }
    }

    #[test]
    fn messages_name_a_column_by_its_table_and_a_table_by_its_schema() {
        let m = hint(RenameKind::Column, Some("app")).message();
        assert!(
            m.starts_with("Detected removed column 'orders.old' and added column 'orders.new'"),
            "{m}"
        );
        let m = hint(RenameKind::Table, Some("app")).message();
        assert!(
            m.starts_with("Detected removed table 'app.old' and added table 'app.new'"),
            "{m}"
        );
        let m = hint(RenameKind::Table, None).message();
        assert!(
            m.starts_with("Detected removed table 'old' and added table 'new'"),
            "{m}"
        );
    }
}

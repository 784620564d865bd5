//! [`SqliteCompare`]: the diff's SQLite equality and naming.
//!
//! SQLite keeps a constraint's name only when the `CREATE TABLE` text gives one, and
//! `create_all` leaves a model's unnamed constraints unnamed; so the diff must add them
//! unnamed too, or the schema a migration makes would differ from a fresh `create_all`
//! by names nobody chose. An unnamed constraint is dropped by its definition, which SQLite
//! can do since every constraint change is a table rebuild from the replayed schema.
//! Everything else is the diff's exact comparison (autogenerate compares with the model
//! as SQLite stores it).

use retort_core::diff::{CompareDialect, ExactCompare};
use retort_core::ops::Constraint;
use retort_core::{Index, Table};

/// See the module notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SqliteCompare;

impl CompareDialect for SqliteCompare {
    /// A type change rebuilds the table, and the rebuild re-creates the views and triggers
    /// that name it (a dropped column still needs them out of the way: `DROP COLUMN` is
    /// native and checks the views).
    fn entities_block_type_changes(&self) -> bool {
        false
    }

    /// SQLite leaves an unnamed constraint unnamed.
    fn constraint_name(&self, _table: &Table, _constraint: &Constraint) -> Option<String> {
        None
    }

    /// Collation names are case-insensitive in SQLite (`nocase` is `NOCASE`), and it keeps
    /// them as written.
    fn indexes_equal(&self, model: &Index, db: &Index) -> bool {
        let folded = |i: &Index| {
            let mut i = i.clone();
            for e in &mut i.elements {
                e.collation = e.collation.take().map(|c| c.to_ascii_uppercase());
            }
            i
        };
        ExactCompare.indexes_equal(&folded(model), &folded(db))
    }
}

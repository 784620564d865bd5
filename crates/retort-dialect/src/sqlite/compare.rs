//! [`SqliteCompare`]: the diff's SQLite equality and naming.
//!
//! SQLite keeps a constraint's name only when the `CREATE TABLE` text gives one, and
//! `create_all` leaves a model's unnamed constraints unnamed; so the diff must add them
//! unnamed too, or the schema a migration makes would differ from a fresh `create_all`
//! by names nobody chose. An unnamed constraint is dropped by its definition, which SQLite
//! can do since every constraint change is a table rebuild from the replayed schema.
//! Everything else is the diff's exact comparison (autogenerate compares with the model
//! as SQLite stores it).

use retort_core::diff::CompareDialect;
use retort_core::ops::Constraint;
use retort_core::Table;

/// See the module notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SqliteCompare;

impl CompareDialect for SqliteCompare {
    /// SQLite leaves an unnamed constraint unnamed.
    fn constraint_name(&self, _table: &Table, _constraint: &Constraint) -> Option<String> {
        None
    }
}

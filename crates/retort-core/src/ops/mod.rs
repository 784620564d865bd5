//! Migration operations as plain data.
//!
//! A revision script records [`Op`] values through [`Operations`]; nothing is executed while
//! recording. That one choice buys dialect-neutral scripts (each dialect renders the ops at
//! run time), offline `--sql` output, symbolic replay of the history into a schema
//! ([`Op::apply`]), linting of dangerous operations, and downgrades derived from upgrades
//! ([`Op::reverse`], [`reverse_all`]).
//!
//! * [`op`]: the [`Op`] enum and its parts ([`AlterColumn`], [`Constraint`], ...).
//! * `record`: the [`Operations`] recorder and its handles; `record/table`: `create_table`'s
//!   builder.
//! * `reverse`, `apply` (split by object kind), `describe`: what can be done with an op;
//!   `existing`: completing an op's old values from the schema it changes, so that even a
//!   hand-written script has an exact derived downgrade ([`reverse_all_from`]).
//! * `enum_swap`: the safe type swap that gives an enum type other values, which the diff
//!   writes out and dialects render for [`Op::RecreateEnum`].

mod apply;
mod conv;
mod describe;
mod enum_swap;
mod error;
mod existing;
pub mod online;
pub mod op;
pub mod read;
mod record;
mod reverse;
pub mod swap;
mod variant;

#[cfg(test)]
mod tests;

pub use crate::schema::{conv, Conv};
pub use apply::apply_all;
pub use enum_swap::{enum_swap_ops, recreate_enum_ops, uses_enum};
pub use error::{ApplyError, DowngradeError, IrreversibleOp, ReplayError};
pub use existing::reverse_all_from;
pub use online::{online_index_ops, online_rewrite, swap_refusals};
pub use op::{
    AlterColumn, ColumnSwap, Constraint, ConstraintKind, EnumValuePosition, Op, SwapStep,
};
pub use record::{
    kind, ColumnDef, ForeignKeyDef, IndexDef, IntoDropName, IntoName, NameDef, Operations,
    PrimaryKeyDef, Recorded, TableBuilder, UniqueDef, Unnamed,
};
pub use reverse::reverse_all;
pub use swap::{swap_key, SwapRefusal};

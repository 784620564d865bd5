//! The revision graph: pure data, no I/O.
//!
//! What Alembic's `script/revision.py` does, in Rust: revisions link to their down
//! revisions (several for a merge point) and may depend on revisions of other branches;
//! [`RevisionGraph::new`] validates the whole history once (duplicate ids, dangling links,
//! duplicate branch labels, cycles) so that every later question is infallible on
//! structure and fails only on what the user typed.
//!
//! * [`revision`]: the `const` [`Revision`] a script declares and the owned
//!   [`RevisionInfo`] the graph is built from.
//! * `build`: validation, links, heads, bases, branch-label propagation.
//! * `resolve`: identifiers (`head`, `heads`, `base`, prefixes, `label@head`, `rev+N`...).
//! * `topo`, `plan`, `heads`: upgrade and downgrade plans with the version-table change of
//!   each step; `stamp`: stamp plans.
//! * `history`: `history` ranges, `branches`, `revision --head/--splice`.
//!
//! Where Alembic's documentation and code differ in a corner, the code (1.20) is followed,
//! except for branch-label propagation, which follows the documentation ("this revision,
//! all descendants, and all ancestors up to the preceding branch point"); the code's walk
//! depends on iteration order. Orders that Alembic leaves to Python's set iteration are
//! made deterministic here (graph order, i.e. the order revisions were given).

mod build;
mod error;
mod heads;
mod history;
mod plan;
mod query;
mod resolve;
pub mod revision;
mod stamp;
mod topo;

#[cfg(test)]
mod tests;

pub use build::RevisionGraph;
pub use error::GraphError;
pub use history::BranchPoint;
pub use plan::{Direction, Plan, Step, VersionChange};
pub use revision::{DownRevisions, Revision, RevisionInfo};
pub use stamp::{StampPlan, StampStep};

//! Typed errors of the revision graph.
//!
//! Each message names the revision (and, when building the graph, the file it came from)
//! and says what to do, because these errors reach the user of `upgrade`, `revision` and
//! `history` unchanged.

fn list(ids: &[String]) -> String {
    ids.join(", ")
}

/// Everything that can go wrong building, resolving or planning over a revision graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// A revision id is empty or uses a character reserved for identifiers (`@ - + :`).
    #[error("revision id '{id}' in {source_file} is not valid: {reason}; use letters, digits and '_' only")]
    InvalidRevisionId {
        /// The offending id.
        id: String,
        /// The file declaring it.
        source_file: String,
        /// What is wrong with it.
        reason: String,
    },

    /// Two revisions share one id.
    #[error("revision {id} is declared twice, in {first_source} and in {second_source}; give one of them a new id")]
    DuplicateRevision {
        /// The shared id.
        id: String,
        /// The first file declaring it.
        first_source: String,
        /// The second file declaring it.
        second_source: String,
    },

    /// A revision revises a revision that no script provides.
    #[error("revision {revision} ({source_file}) revises {missing}, which no revision file provides; restore it or correct the down revision")]
    MissingDownRevision {
        /// The revision with the dangling link.
        revision: String,
        /// The id it names.
        missing: String,
        /// The file of `revision`.
        source_file: String,
    },

    /// A revision depends on a revision or branch label that does not exist.
    #[error("revision {revision} ({source_file}) depends on '{missing}', which is neither a revision id nor a branch label; correct its depends_on")]
    MissingDependency {
        /// The revision with the dangling dependency.
        revision: String,
        /// The id or label it names.
        missing: String,
        /// The file of `revision`.
        source_file: String,
    },

    /// A branch label is used twice (or equals a revision id).
    #[error("branch label '{label}' of revision {revision} ({source_file}) is already used by revision {existing}; choose another label")]
    DuplicateBranchLabel {
        /// The label.
        label: String,
        /// The revision declaring it a second time.
        revision: String,
        /// The file of `revision`.
        source_file: String,
        /// The revision that already uses it (or has it as its id).
        existing: String,
    },

    /// The down revisions form a cycle.
    #[error("cycle is detected in revisions ({}); files: {}; break the loop in their down revisions", list(.revisions), list(.sources))]
    CycleDetected {
        /// The revisions on or behind the cycle, sorted.
        revisions: Vec<String>,
        /// Their files, in the same order.
        sources: Vec<String>,
    },

    /// The down revisions together with `depends_on` form a cycle.
    #[error("dependency cycle is detected in revisions ({}); files: {}; remove one of the depends_on links", list(.revisions), list(.sources))]
    DependencyCycleDetected {
        /// The revisions on or behind the cycle, sorted.
        revisions: Vec<String>,
        /// Their files, in the same order.
        sources: Vec<String>,
    },

    /// An identifier matches no revision or branch label.
    #[error("no such revision or branch '{ident}'{hint}")]
    UnknownRevision {
        /// The identifier as given.
        ident: String,
        /// A hint starting with "; " (or empty).
        hint: String,
    },

    /// A partial id matches several revisions.
    #[error("multiple revisions start with '{prefix}': {}; give more characters", list(.candidates))]
    AmbiguousPrefix {
        /// The prefix as given.
        prefix: String,
        /// Every matching revision id or label, sorted.
        candidates: Vec<String>,
    },

    /// `label@...` names a branch that does not exist.
    #[error("no such branch: '{label}'; a branch is a label from `--branch-label` or a revision id (see `heads` and `history`)")]
    UnknownBranch {
        /// The label as given.
        label: String,
    },

    /// `label@rev` names a revision outside that branch.
    #[error("revision {revision} is not a member of branch '{branch}'")]
    NotOnBranch {
        /// The resolved revision.
        revision: String,
        /// The branch named.
        branch: String,
    },

    /// A single revision was asked for and several heads match.
    #[error("multiple heads are present for given argument '{argument}': {}; use 'heads' for all of them, '<branch>@head' or a revision id to choose one, or merge them", list(.heads))]
    MultipleHeads {
        /// The identifier as given (`head`, `label@head`, ...).
        argument: String,
        /// The matching heads.
        heads: Vec<String>,
    },

    /// `lower:upper` where `lower` is not below `upper`.
    #[error("revision {lower} is not an ancestor of revision {upper}")]
    RangeNotAncestor {
        /// The lower end as given.
        lower: String,
        /// The upper end as given.
        upper: String,
    },

    /// A downgrade target that nothing applied lies above.
    #[error("destination {target} is not a valid downgrade target from current head(s) {}: nothing applied lies above it", if .current.is_empty() { "<base>".to_owned() } else { list(.current) })]
    NotADowngradeTarget {
        /// The target as given.
        target: String,
        /// The applied heads.
        current: Vec<String>,
    },

    /// A relative identifier walks past the first or last revision.
    #[error("relative revision '{ident}' didn't produce {steps} migrations; there are fewer revisions in that direction")]
    RelativeOutOfRange {
        /// The identifier as given.
        ident: String,
        /// The number of steps asked for.
        steps: u64,
    },

    /// A relative walk meets a branch or merge point and cannot choose.
    #[error("ambiguous walk from {from} for '{ident}': it branches into {}; prefix a branch label ('<label>@...') or name a revision instead", list(.choices))]
    AmbiguousWalk {
        /// The identifier as given.
        ident: String,
        /// Where the walk stood.
        from: String,
        /// The revisions it could go to.
        choices: Vec<String>,
    },

    /// `upgrade +N` with several applied heads.
    #[error("ambiguous upgrade from multiple current revisions ({}); use 'label@+N' or 'rev+N'", list(.current))]
    AmbiguousUpgrade {
        /// The applied heads.
        current: Vec<String>,
    },

    /// Several targets of one command where one is an ancestor of another.
    #[error("requested revision {revision} overlaps with other requested revisions {}", list(.overlaps))]
    OverlappingTargets {
        /// The revision whose ancestry contains the others.
        revision: String,
        /// The other requested revisions among its ancestors.
        overlaps: Vec<String>,
    },

    /// A history range without `:`.
    #[error("history range '{range}' requires [start]:[end], [start]: or :[end]")]
    InvalidRange {
        /// The range as given.
        range: String,
    },

    /// `current` was used where no database state is known.
    #[error("'current' needs the database's applied revisions, which are not known here; give a revision instead")]
    CurrentUnknown,

    /// `revision --head X` where X is not a head, without `--splice`.
    #[error("revision {revision} is not a head revision; please specify --splice to create a new branch from this revision")]
    NotAHead {
        /// The revision named by `--head`.
        revision: String,
    },

    /// The same head was given twice for a new revision.
    #[error("duplicate head revisions specified: {}", list(.heads))]
    DuplicateHeads {
        /// The heads as resolved.
        heads: Vec<String>,
    },

    /// The applied heads do not fit a step (the version table was edited by hand?).
    #[error("cannot record step {revision} against the applied heads ({}): {reason}; check the version table, or use `stamp` to set it", list(.heads))]
    InconsistentHeads {
        /// The revision of the step.
        revision: String,
        /// The heads before the step.
        heads: Vec<String>,
        /// What did not fit.
        reason: String,
    },
}

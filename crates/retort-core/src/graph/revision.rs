//! What one revision says about its place in the history.
//!
//! Two shapes of the same facts:
//!
//! * [`Revision`]: the `const` builder a revision script declares
//!   (`pub const REVISION: Revision = Revision::new("5cc88b64dda9").message("...");`). It
//!   holds only `&'static` data so that it can live in a `const` and be collected by
//!   `versions!()` without any allocation or initialisation order.
//! * [`RevisionInfo`]: the owned description the [`RevisionGraph`](super::RevisionGraph) is
//!   built from. It adds `source`, an opaque string naming where the revision came from (a
//!   file path, usually) so that every graph error can say which file to fix.

/// The down revisions of a [`Revision`]: none (a base), one, or several (a merge point).
///
/// A separate enum, because a `const fn` cannot turn one `&'static str` argument into a
/// `&'static [&'static str]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownRevisions {
    /// A base revision: it revises nothing.
    None,
    /// The usual case: one parent.
    One(&'static str),
    /// A merge point (or a base when empty).
    Many(&'static [&'static str]),
}

/// A revision's identity and links, as a script declares them in a `const`.
///
/// ```
/// use retort_core::graph::Revision;
/// pub const REVISION: Revision = Revision::new("ae1027a6acf")
///     .message("add a column")
///     .down_revision("1975ea83b712")
///     .branch_labels(&["accounts"]);
/// assert_eq!(REVISION.down_revision_ids(), &["1975ea83b712"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision {
    /// The revision id (`Revision ID:` in the header), e.g. `5cc88b64dda9`.
    pub id: &'static str,
    /// The message given with `revision -m`.
    pub message: &'static str,
    /// The revisions this one revises.
    pub down: DownRevisions,
    /// Branch labels this revision introduces (`--branch-label`).
    pub branch_labels: &'static [&'static str],
    /// Revisions (ids or branch labels) that must be applied before this one, without
    /// making this revision a merge (`--depends-on`).
    pub depends_on: &'static [&'static str],
    /// The revisions a squash (`squash <from> <to>`) folded into this one, oldest first,
    /// this revision's own id not among them: a database whose log shows them applied
    /// came here through them, and one at one of them is inside the squashed range
    /// (`docs/guide/squash.md`).
    pub replaces: &'static [&'static str],
}

impl Revision {
    /// A base revision with no message, labels or dependencies.
    pub const fn new(id: &'static str) -> Self {
        Revision {
            id,
            message: "",
            down: DownRevisions::None,
            branch_labels: &[],
            depends_on: &[],
            replaces: &[],
        }
    }

    /// Sets the message.
    pub const fn message(mut self, message: &'static str) -> Self {
        self.message = message;
        self
    }

    /// Sets the single revision this one revises.
    pub const fn down_revision(mut self, id: &'static str) -> Self {
        self.down = DownRevisions::One(id);
        self
    }

    /// Sets several down revisions: this revision merges them.
    pub const fn down_revisions(mut self, ids: &'static [&'static str]) -> Self {
        self.down = DownRevisions::Many(ids);
        self
    }

    /// Sets the branch labels this revision introduces.
    pub const fn branch_labels(mut self, labels: &'static [&'static str]) -> Self {
        self.branch_labels = labels;
        self
    }

    /// Sets the revisions (ids or branch labels) this one depends on.
    pub const fn depends_on(mut self, ids: &'static [&'static str]) -> Self {
        self.depends_on = ids;
        self
    }

    /// Sets the revisions a squash folded into this one (the field of the same name).
    pub const fn replaces(mut self, ids: &'static [&'static str]) -> Self {
        self.replaces = ids;
        self
    }

    /// The down revisions as a slice (empty for a base).
    pub fn down_revision_ids(&self) -> &[&'static str] {
        match &self.down {
            DownRevisions::None => &[],
            DownRevisions::One(id) => std::slice::from_ref(id),
            DownRevisions::Many(ids) => ids,
        }
    }

    /// The owned description the graph is built from; `source` names the file it came from.
    pub fn info(&self, source: impl Into<String>) -> RevisionInfo {
        RevisionInfo {
            id: self.id.to_owned(),
            down_revisions: self
                .down_revision_ids()
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            branch_labels: self.branch_labels.iter().map(|s| (*s).to_owned()).collect(),
            depends_on: self.depends_on.iter().map(|s| (*s).to_owned()).collect(),
            message: self.message.to_owned(),
            source: source.into(),
        }
    }
}

/// The owned description of a revision that a [`RevisionGraph`](super::RevisionGraph) is
/// built from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevisionInfo {
    /// The revision id.
    pub id: String,
    /// The revisions this one revises: none for a base, several for a merge point.
    pub down_revisions: Vec<String>,
    /// Branch labels introduced by this revision.
    pub branch_labels: Vec<String>,
    /// Revision ids or branch labels that must be applied first.
    pub depends_on: Vec<String>,
    /// The revision message.
    pub message: String,
    /// Where the revision came from (a file path), named in errors.
    pub source: String,
}

impl RevisionInfo {
    /// A base revision whose `source` is `<id>.rs`; chain the `with_*` methods for the rest.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        RevisionInfo {
            source: format!("{id}.rs"),
            id,
            ..RevisionInfo::default()
        }
    }

    /// Sets the down revisions.
    pub fn with_down<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.down_revisions = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the branch labels.
    pub fn with_labels<S: Into<String>>(mut self, labels: impl IntoIterator<Item = S>) -> Self {
        self.branch_labels = labels.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the dependencies.
    pub fn with_depends_on<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.depends_on = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Sets the source.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Revision = Revision::new("5cc88b64dda9").message("initial");
    const MERGE: Revision = Revision::new("53fffde5ad5")
        .down_revisions(&["ae1027a6acf", "27c6a30d7c24"])
        .branch_labels(&["main"])
        .depends_on(&["3cac04ae8714"]);

    #[test]
    fn const_builder_keeps_every_field() {
        assert_eq!(BASE.id, "5cc88b64dda9");
        assert_eq!(BASE.message, "initial");
        assert!(BASE.down_revision_ids().is_empty());
        assert_eq!(MERGE.down_revision_ids(), &["ae1027a6acf", "27c6a30d7c24"]);
        assert_eq!(MERGE.branch_labels, &["main"]);
        assert_eq!(MERGE.depends_on, &["3cac04ae8714"]);
    }

    #[test]
    fn info_copies_the_const_and_names_the_source() {
        let info = MERGE.info("versions/53fffde5ad5_merge.rs");
        assert_eq!(info.id, "53fffde5ad5");
        assert_eq!(info.down_revisions, vec!["ae1027a6acf", "27c6a30d7c24"]);
        assert_eq!(info.branch_labels, vec!["main"]);
        assert_eq!(info.depends_on, vec!["3cac04ae8714"]);
        assert_eq!(info.source, "versions/53fffde5ad5_merge.rs");
    }

    #[test]
    fn single_down_revision_is_a_one_element_slice() {
        let r = Revision::new("b").down_revision("a");
        assert_eq!(r.down_revision_ids(), &["a"]);
        assert_eq!(r.info("b.rs").down_revisions, vec!["a"]);
    }
}

//! [`Canonical`]: the model's expressions as a live database spells them, for a backend
//! that rewrites what it stores (PostgreSQL prints its own parse tree back).
//!
//! A backend's [`canonicalise`](crate::BackendSupport::canonicalise) finds them (PostgreSQL's
//! in `postgres::canonical`, asking the server in rolled-back scratch tables); the
//! comparison then applies them to its copy of the model ([`Canonical::apply`]), so an
//! expression the database merely re-spelled is no change. The default, for a database that
//! keeps expressions as written, finds none.

use retort_core::{Computed, Exclude, Index, MetaData, ServerDefault};

/// One model expression and the database's spelling of the same expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Substitution {
    pub(crate) schema: Option<String>,
    pub(crate) table: String,
    pub(crate) what: Swap,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Swap {
    Default {
        column: String,
        model: ServerDefault,
        db: ServerDefault,
    },
    Computed {
        column: String,
        model: Computed,
        db: Computed,
    },
    Check {
        model: String,
        db: String,
    },
    Index {
        model: Index,
        db: Index,
    },
}

/// The substitutions found for one model (empty: compare the model as it is).
///
/// Live PostgreSQL only: its [`canonicalise`](crate::BackendSupport::canonicalise) asks the
/// server to spell, in rolled-back scratch tables in `pg_temp`, every model expression
/// (server default, generated column, check, index expression or predicate) that does not
/// already compare equal to its database counterpart as text, and keeps the database's text
/// for those PostgreSQL spells alike; autogenerate's comparison applies them to the model.
/// Nothing is asked when every expression already compares equal. Offline comparison has
/// no server and compares as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Canonical {
    pub(crate) substitutions: Vec<Substitution>,
}

impl Canonical {
    /// No expression needed the server's spelling.
    pub fn is_empty(&self) -> bool {
        self.substitutions.is_empty()
    }

    /// How many model expressions PostgreSQL spells as the database already has them.
    pub fn len(&self) -> usize {
        self.substitutions.len()
    }

    /// `model` with every expression the database stores in another spelling replaced by
    /// the database's text. A substitution applies only where the model still holds the
    /// very expression it was made for, so applying it to another model is safe.
    pub fn apply(&self, model: &MetaData) -> MetaData {
        self.apply_where(model, |_| true)
    }

    /// [`Canonical::apply`] for server defaults only: the comparison gives defaults the
    /// database's text in the model (an op's old default stays as the database has it,
    /// read as a literal where it is one), and the other expressions the model's text in the
    /// database (see [`respell`](crate::respell)).
    pub fn apply_to_defaults(&self, model: &MetaData) -> MetaData {
        self.apply_where(model, |s| matches!(s.what, Swap::Default { .. }))
    }

    /// Whether a server default is among the substitutions.
    pub fn has_defaults(&self) -> bool {
        self.substitutions
            .iter()
            .any(|s| matches!(s.what, Swap::Default { .. }))
    }

    fn apply_where(&self, model: &MetaData, wanted: impl Fn(&Substitution) -> bool) -> MetaData {
        let mut out = model.clone();
        for s in self.substitutions.iter().filter(|s| wanted(s)) {
            let Some(t) = out
                .tables_mut()
                .iter_mut()
                .find(|t| t.name == s.table && t.schema == s.schema)
            else {
                continue;
            };
            match &s.what {
                Swap::Default { column, model, db } => {
                    if let Some(c) = t.columns.iter_mut().find(|c| &c.name == column) {
                        if c.server_default.as_ref() == Some(model) {
                            c.server_default = Some(db.clone());
                        }
                    }
                }
                Swap::Computed { column, model, db } => {
                    if let Some(c) = t.columns.iter_mut().find(|c| &c.name == column) {
                        if c.computed.as_ref() == Some(model) {
                            c.computed = Some(db.clone());
                        }
                    }
                }
                Swap::Check { model, db } => {
                    if let Some(c) = t.checks.iter_mut().find(|c| &c.expr == model) {
                        c.expr = db.clone();
                    }
                }
                Swap::Index { model, db } => {
                    if let Some(i) = t.indexes.iter_mut().find(|i| *i == model) {
                        i.elements = db.elements.clone();
                        i.predicate = db.predicate.clone();
                    } else if let Some(x) = t.excludes.iter_mut().find(|x| as_index(x) == *model) {
                        for (e, spelled) in x.elements.iter_mut().zip(&db.elements) {
                            e.element = spelled.clone();
                        }
                        x.predicate = db.predicate.clone();
                    }
                }
            }
        }
        out
    }
}

/// The index behind an exclusion constraint: PostgreSQL spells its elements and predicate
/// exactly as it spells an index's, so they are asked about as one.
pub(crate) fn as_index(x: &Exclude) -> Index {
    Index {
        conv: false,
        name: x.name.clone(),
        unique: false,
        elements: x.elements.iter().map(|e| e.element.clone()).collect(),
        method: Some(x.using.clone()),
        include: x.include.clone(),
        predicate: x.predicate.clone(),
        nulls_not_distinct: false,
        with: Vec::new(),
    }
}

//! PostgreSQL objects beside tables that columns, views and writes lean on: domains,
//! aggregates and rules (Pagila has one of each kind). They are entities like views and
//! functions ([`Entity`](super::Entity)): compared by key and definition text (spelled by the
//! server on a live database), ordered by dependencies, created and dropped by ops that
//! carry their old definitions, and dropped by autogenerate only when the revision history
//! created them.
//!
//! * [`Domain`]: `CREATE DOMAIN name <definition>`, the definition being the rest of the
//!   statement (`AS integer DEFAULT 0 NOT NULL CONSTRAINT positive CHECK (VALUE > 0)`:
//!   base type, collation, default, `NOT NULL`, checks). A column of the domain's type names
//!   it (`#[retort(sql_type = "year")]`), so the diff creates domains before the tables
//!   (right after the enum types and sequences) and drops them after the tables.
//! * [`Aggregate`]: `CREATE AGGREGATE name(<arguments>) <definition>`, the definition being
//!   the parenthesised options (`(SFUNC = _group_concat, STYPE = text)`); its key holds its
//!   identity arguments as a function's does. Created after the functions it names, before
//!   the views that call it.
//! * [`Rule`]: `CREATE RULE name <definition>` on a table or view, the definition being the
//!   rest of the statement (`AS ON INSERT TO payment WHERE .. DO INSTEAD INSERT ..`), as
//!   `pg_get_ruledef` prints it; the table is given apart, because a rule is dropped by
//!   name on its table. A view's own `_RETURN` rule is the view, never a rule of its own.

/// `CREATE DOMAIN name <definition>` (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain {
    /// Its schema; `None` is the metadata's default.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// Everything after the name: `AS base_type [COLLATE ..] [DEFAULT ..] [NOT NULL]
    /// [CONSTRAINT name CHECK (..)]..`.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty:
    /// every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `CREATE AGGREGATE name(<arguments>) <definition>` (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Aggregate {
    /// Its schema; `None` is the metadata's default.
    pub schema: Option<String>,
    /// Its name, unquoted.
    pub name: String,
    /// The argument list as `CREATE AGGREGATE` takes it (`text`, `ORDER BY anyelement`).
    pub arguments: String,
    /// The parenthesised options: `(SFUNC = .., STYPE = .. [, FINALFUNC = ..] ..)`.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after, beside the
    /// functions its definition names.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty:
    /// every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `CREATE RULE name <definition>` on a table or view (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    /// The schema of its table (a rule lives with its table).
    pub schema: Option<String>,
    /// The table or view it is on.
    pub table: String,
    /// Its name (unique per table).
    pub name: String,
    /// Everything after the name: `AS ON event TO table [WHERE ..] DO [ALSO|INSTEAD] ..`.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after, beside its view.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty:
    /// every one.
    pub only_on: Vec<crate::DialectKind>,
}

impl Domain {
    /// The domain `name`; `definition` is the rest of `CREATE DOMAIN` (`AS integer ..`).
    pub fn new(name: impl Into<String>, definition: impl Into<String>) -> Self {
        Domain {
            schema: None,
            name: name.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
}

impl Aggregate {
    /// The aggregate `name(arguments)`; `definition` is its parenthesised options.
    pub fn new(
        name: impl Into<String>,
        arguments: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Aggregate {
            schema: None,
            name: name.into(),
            arguments: arguments.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// The arguments that identify it (what `DROP AGGREGATE` takes; see
    /// [`identity_arguments`](super::identity_arguments)).
    pub fn identity_arguments(&self) -> String {
        super::identity_arguments(&self.arguments)
    }
}

impl Rule {
    /// A rule `name` on `table`; `definition` is the rest of `CREATE RULE` after the name,
    /// `AS ON .. TO table` included.
    pub fn new(
        table: impl Into<String>,
        name: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Rule {
            schema: None,
            table: table.into(),
            name: name.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
}

/// The clauses of a domain's definition, each as written (see [`domain_clauses`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DomainClauses {
    /// The base type (`integer`, `numeric(5, 2)`).
    pub data_type: String,
    /// `COLLATE ..`'s collation.
    pub collation: Option<String>,
    /// `DEFAULT ..`'s expression.
    pub default: Option<String>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// Each check, by its `CONSTRAINT` name if it has one, and its text after `CHECK`
    /// (`(VALUE > 0)`).
    pub checks: Vec<(Option<String>, String)>,
}

impl DomainClauses {
    /// Whether `other` has the same base type (PostgreSQL's aliases aside: `int` is
    /// `integer`) and collation: then `ALTER DOMAIN` can make the rest of a change.
    pub fn same_base(&self, other: &DomainClauses) -> bool {
        super::entity::loose_arguments(&self.data_type)
            == super::entity::loose_arguments(&other.data_type)
            && self.collation == other.collation
    }
}

/// Splits a domain's definition (`[AS] type [COLLATE c] [DEFAULT expr] [[CONSTRAINT name]
/// NOT NULL | NULL | CHECK (expr)]..`) into its clauses, the keywords read outside
/// parentheses and quotes, in any case. What a default expression holds is kept whole up to
/// the next constraint (`NOT NULL`, `NULL`, `CONSTRAINT`, `CHECK`).
pub fn domain_clauses(definition: &str) -> DomainClauses {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        As,
        Collate,
        Default,
        Constraint,
        NotNull,
        Null,
        Check,
    }
    // Words at depth 0, outside quotes, with their byte spans.
    let mut words: Vec<(String, usize, usize)> = Vec::new();
    let (mut depth, mut quote) = (0i32, None::<char>);
    let mut start: Option<usize> = None;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    for (i, ch) in definition.char_indices() {
        let in_word = quote.is_none() && depth == 0 && is_word(ch);
        match (start, in_word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                words.push((definition[s..i].to_uppercase(), s, i));
                start = None;
            }
            _ => {}
        }
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((definition[s..].to_uppercase(), s, definition.len()));
    }
    let mut marks: Vec<(Mark, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (w, s, e) = (&words[i].0, words[i].1, words[i].2);
        let last = marks.last().copied();
        let after_default_nothing = last
            .is_some_and(|(m, _, end)| m == Mark::Default && definition[end..s].trim().is_empty());
        let mark = match w.as_str() {
            "AS" if i == 0 => Some((Mark::As, e)),
            "COLLATE" if !marks.iter().any(|(m, ..)| *m != Mark::As) => Some((Mark::Collate, e)),
            "DEFAULT" => Some((Mark::Default, e)),
            "CONSTRAINT" => Some((Mark::Constraint, e)),
            "NOT" if words.get(i + 1).is_some_and(|n| n.0 == "NULL") => {
                i += 1;
                Some((Mark::NotNull, words[i].2))
            }
            "NULL" if !after_default_nothing => Some((Mark::Null, e)),
            "CHECK" => Some((Mark::Check, e)),
            _ => None,
        };
        if let Some((m, end)) = mark {
            marks.push((m, s, end));
        }
        i += 1;
    }
    let mut out = DomainClauses::default();
    let first = marks
        .iter()
        .find(|(m, ..)| *m != Mark::As)
        .map_or(definition.len(), |(_, s, _)| *s);
    let type_start = marks
        .first()
        .filter(|(m, ..)| *m == Mark::As)
        .map_or(0, |(_, _, e)| *e);
    out.data_type = definition[type_start..first.max(type_start)]
        .trim()
        .to_owned();
    let mut name: Option<String> = None;
    for (k, &(m, _, end)) in marks.iter().enumerate() {
        let until = marks.get(k + 1).map_or(definition.len(), |(_, s, _)| *s);
        let value = definition[end..until].trim().to_owned();
        match m {
            Mark::As => {}
            Mark::Collate => out.collation = Some(value),
            Mark::Default => out.default = Some(value),
            Mark::Constraint => name = Some(value),
            Mark::NotNull => {
                out.not_null = true;
                name = None;
            }
            Mark::Null => {
                out.not_null = false;
                name = None;
            }
            Mark::Check => out.checks.push((name.take(), value)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_definition_splits_into_its_clauses() {
        let c = domain_clauses(
            "as numeric(5, 2) collate \"C\" default (0.5) not null constraint \"Positive\" check (value > 0) CHECK (VALUE < 'NOT NULL'::text::numeric)",
        );
        assert_eq!(c.data_type, "numeric(5, 2)");
        assert_eq!(c.collation.as_deref(), Some("\"C\""));
        assert_eq!(c.default.as_deref(), Some("(0.5)"));
        assert!(c.not_null);
        assert_eq!(
            c.checks,
            [
                (Some("\"Positive\"".to_owned()), "(value > 0)".to_owned()),
                (None, "(VALUE < 'NOT NULL'::text::numeric)".to_owned())
            ]
        );
        // As PostgreSQL's catalog gives it (no AS needed either way), and a default of NULL.
        let c = domain_clauses("integer DEFAULT NULL NULL");
        assert_eq!(c.data_type, "integer");
        assert_eq!(c.default.as_deref(), Some("NULL"));
        assert!(!c.not_null && c.checks.is_empty());
        let c = domain_clauses("AS timestamp with time zone DEFAULT now()");
        assert_eq!(c.data_type, "timestamp with time zone");
        assert_eq!(c.default.as_deref(), Some("now()"));
        assert!(c.same_base(&domain_clauses("AS TIMESTAMP  WITH TIME ZONE NOT NULL")));
        assert!(domain_clauses("AS int").same_base(&domain_clauses("AS integer")));
        assert!(!domain_clauses("AS int").same_base(&domain_clauses("AS bigint")));
    }
}

//! Who may see and change what: row-level-security policies, the table's `ENABLE` / `FORCE
//! ROW LEVEL SECURITY` switch, and grants to roles (issue 14, PostgreSQL). They are
//! entities like views and triggers ([`Entity`](super::Entity)), so they get the same
//! comparison, ordering, ops that carry their old definitions, and the same rule for what
//! the database has and the model does not: dropped (revoked, disabled) only when the
//! revision history created it, otherwise left alone with a warning.
//!
//! * [`Policy`]: `CREATE POLICY name ON table <definition>`, the definition being the rest of
//!   the statement (`AS RESTRICTIVE FOR SELECT TO app USING (..) WITH CHECK (..)`), like a
//!   trigger's. [`policy_clauses`] splits it into its clauses, so a change the server can
//!   make with `ALTER POLICY` (roles, `USING`, `WITH CHECK`) is made so.
//! * [`RowLevelSecurity`]: the table's switch, one entity a table (`FORCE` as a flag), so a
//!   table that turned it on by hand is not turned off by a model that never mentioned it.
//! * [`Grant`]: ONE privilege on one object to one role, so grants are compared per
//!   (object, grantee, privilege) and revoking one never touches another. A grant's key
//!   ([`GrantKey`]) names the object kind, the privilege and the grantee, and for a column
//!   privilege ([`Grant::on_column`], `GRANT SELECT (col) ON t`) the column.

use std::fmt;

/// What a grant is on: it decides the `ON ..` of `GRANT` and which privileges exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum GrantObject {
    /// A table, view or materialized view (`ON TABLE`).
    Table,
    /// A sequence (`ON SEQUENCE`).
    Sequence,
    /// A function or procedure (`ON ROUTINE`, with its identity arguments).
    Function,
}

impl GrantObject {
    /// How SQL and messages name it (`TABLE`, `SEQUENCE`, `ROUTINE`).
    pub fn as_sql(self) -> &'static str {
        match self {
            GrantObject::Table => "TABLE",
            GrantObject::Sequence => "SEQUENCE",
            GrantObject::Function => "ROUTINE",
        }
    }
    /// The privileges PostgreSQL knows on this kind of object.
    pub fn privileges(self) -> &'static [&'static str] {
        match self {
            GrantObject::Table => &[
                "SELECT",
                "INSERT",
                "UPDATE",
                "DELETE",
                "TRUNCATE",
                "REFERENCES",
                "TRIGGER",
                "MAINTAIN",
            ],
            GrantObject::Sequence => &["USAGE", "SELECT", "UPDATE"],
            GrantObject::Function => &["EXECUTE"],
        }
    }
}

/// The part of an [`EntityKey`](super::EntityKey) that tells one grant on an object from
/// another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GrantKey {
    /// What kind of object it is on.
    pub on: GrantObject,
    /// The privilege, uppercase (`SELECT`).
    pub privilege: String,
    /// The role it is granted to, as the catalog names it (`PUBLIC` for everyone).
    pub grantee: String,
    /// The table's column, for a column privilege; `None`: the whole object.
    pub column: Option<String>,
}

/// `CREATE POLICY name ON table <definition>` (PostgreSQL): the definition is everything
/// after the table, as [`policy_clauses`] reads it: `[AS PERMISSIVE|RESTRICTIVE] [FOR
/// ALL|SELECT|INSERT|UPDATE|DELETE] [TO role, ..] [USING (..)] [WITH CHECK (..)]`. A policy
/// does nothing until its table has [`RowLevelSecurity`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Policy {
    /// The schema of the table.
    pub schema: Option<String>,
    /// The table it is on.
    pub table: String,
    /// Its name (unique per table).
    pub name: String,
    /// Everything after `ON table` in `CREATE POLICY`.
    pub definition: String,
    /// Entities (by `name` or `schema.name`) this one is created after, beside the
    /// functions its expressions name.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `ALTER TABLE table ENABLE ROW LEVEL SECURITY` (and `FORCE ROW LEVEL SECURITY`, which
/// applies the policies to the table's owner too), PostgreSQL. Its name is the table's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowLevelSecurity {
    /// The schema of the table.
    pub schema: Option<String>,
    /// The table.
    pub table: String,
    /// `FORCE ROW LEVEL SECURITY` too.
    pub force: bool,
    /// Entities (by `name` or `schema.name`) this one is created after.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

/// `GRANT privilege ON object TO grantee [WITH GRANT OPTION]` (PostgreSQL): one privilege,
/// one grantee (a model lists several with
/// [`MetaData::with_entities`](super::MetaData::with_entities)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Grant {
    /// The object's schema.
    pub schema: Option<String>,
    /// What kind of object it is on.
    pub on: GrantObject,
    /// The object's name.
    pub object: String,
    /// One column of the table ([`Grant::on_column`]): a column privilege, `GRANT SELECT
    /// (col) ON t`, kept apart from the table's own; `None`: the whole object.
    pub column: Option<String>,
    /// A function's argument list (as [`Function::arguments`](super::Function::arguments);
    /// its identity arguments identify it); `None` for a relation.
    pub arguments: Option<String>,
    /// The privilege, uppercase.
    pub privilege: String,
    /// The role, or `PUBLIC`.
    pub grantee: String,
    /// `WITH GRANT OPTION`: the grantee may grant it on.
    pub with_grant_option: bool,
    /// Entities (by `name` or `schema.name`) this one is created after, beside its object.
    pub after: Vec<String>,
    /// The databases it exists on ([`Entity::only_on`](super::Entity::only_on)); empty: every one.
    pub only_on: Vec<crate::DialectKind>,
}

impl Policy {
    /// A policy `name` on `table`; `definition` is the rest of `CREATE POLICY` after the
    /// table (`FOR SELECT TO app USING (owner = current_user)`).
    pub fn new(
        table: impl Into<String>,
        name: impl Into<String>,
        definition: impl Into<String>,
    ) -> Self {
        Policy {
            schema: None,
            table: table.into(),
            name: name.into(),
            definition: definition.into(),
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// Its definition's clauses ([`policy_clauses`]).
    pub fn clauses(&self) -> PolicyClauses {
        policy_clauses(&self.definition)
    }
}

impl RowLevelSecurity {
    /// `ENABLE ROW LEVEL SECURITY` on `table`.
    pub fn new(table: impl Into<String>) -> Self {
        RowLevelSecurity {
            schema: None,
            table: table.into(),
            force: false,
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// `FORCE ROW LEVEL SECURITY` too: the owner is held to the policies.
    pub fn forced(mut self) -> Self {
        self.force = true;
        self
    }
    /// What is compared: the statement's actions.
    pub fn definition(&self) -> &'static str {
        if self.force {
            "ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY"
        } else {
            "ENABLE ROW LEVEL SECURITY"
        }
    }
}

/// A role name as the catalog keeps it: `PUBLIC` in any case is everyone.
fn grantee(role: String) -> String {
    if role.eq_ignore_ascii_case("public") {
        "PUBLIC".to_owned()
    } else {
        role
    }
}

impl Grant {
    fn of(on: GrantObject, object: String, privilege: &str, role: String) -> Self {
        Grant {
            schema: None,
            on,
            object,
            column: None,
            arguments: None,
            privilege: privilege.trim().to_uppercase(),
            grantee: grantee(role),
            with_grant_option: false,
            after: Vec::new(),
            only_on: Vec::new(),
        }
    }
    /// `privilege` (`SELECT`, `INSERT`, ..) on a table, view or materialized view to `role`
    /// (`PUBLIC`: everyone).
    pub fn on_table(table: impl Into<String>, privilege: &str, role: impl Into<String>) -> Self {
        Grant::of(GrantObject::Table, table.into(), privilege, role.into())
    }
    /// `privilege` (`SELECT`, `INSERT`, `UPDATE`, `REFERENCES`) on one column of a table to
    /// `role`: `GRANT SELECT (email) ON customers TO app`. It is a grant of its own, apart
    /// from the table's (revoking the table's privilege takes the columns' along, PostgreSQL).
    pub fn on_column(
        table: impl Into<String>,
        column: impl Into<String>,
        privilege: &str,
        role: impl Into<String>,
    ) -> Self {
        Grant {
            column: Some(column.into()),
            ..Grant::of(GrantObject::Table, table.into(), privilege, role.into())
        }
    }
    /// `privilege` (`USAGE`, `SELECT`, `UPDATE`) on a sequence to `role`.
    pub fn on_sequence(
        sequence: impl Into<String>,
        privilege: &str,
        role: impl Into<String>,
    ) -> Self {
        Grant::of(
            GrantObject::Sequence,
            sequence.into(),
            privilege,
            role.into(),
        )
    }
    /// `EXECUTE` on the function or procedure `name(arguments)` to `role`.
    pub fn on_function(
        name: impl Into<String>,
        arguments: impl Into<String>,
        role: impl Into<String>,
    ) -> Self {
        Grant {
            arguments: Some(arguments.into()),
            ..Grant::of(GrantObject::Function, name.into(), "EXECUTE", role.into())
        }
    }
    /// `WITH GRANT OPTION`.
    pub fn with_grant_option(mut self) -> Self {
        self.with_grant_option = true;
        self
    }
    /// Its [`GrantKey`].
    pub fn grant_key(&self) -> GrantKey {
        GrantKey {
            on: self.on,
            privilege: self.privilege.clone(),
            grantee: self.grantee.clone(),
            column: self.column.clone(),
        }
    }
    /// The privileges PostgreSQL knows on what it is on (a column has fewer than its table).
    pub fn privileges(&self) -> &'static [&'static str] {
        match self.column {
            Some(_) => &["SELECT", "INSERT", "UPDATE", "REFERENCES"],
            None => self.on.privileges(),
        }
    }
    /// What is compared beside the key: the grant option.
    pub fn definition(&self) -> &'static str {
        if self.with_grant_option {
            "WITH GRANT OPTION"
        } else {
            ""
        }
    }
}

/// The clauses of a policy definition, each as written (white space collapsed outside
/// quotes aside, nothing else changed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyClauses {
    /// `AS RESTRICTIVE` (PostgreSQL's default is permissive).
    pub restrictive: bool,
    /// The command, uppercase (`ALL` when not given).
    pub command: String,
    /// The role list after `TO`, as written; `None`: not given (`PUBLIC`).
    pub roles: Option<String>,
    /// The `USING` expression with its parentheses.
    pub using: Option<String>,
    /// The `WITH CHECK` expression with its parentheses.
    pub with_check: Option<String>,
}

/// Reads a policy definition (see [`Policy`]). Clause keywords are found outside
/// parentheses and quotes, so expressions may hold any text.
pub fn policy_clauses(definition: &str) -> PolicyClauses {
    // Tokens at depth 0: words, and parenthesised groups kept whole.
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quote) = (0i32, None::<char>);
    for ch in definition.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => {
                if depth == 0 && !cur.trim().is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                depth += 1;
            }
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    cur.push(ch);
                    tokens.push(std::mem::take(&mut cur));
                    continue;
                }
            }
            (None, c) if depth == 0 && (c.is_whitespace() || c == ',') => {
                if !cur.trim().is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                cur.clear();
                if c == ',' {
                    tokens.push(",".into());
                }
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        tokens.push(cur);
    }
    let mut out = PolicyClauses {
        command: "ALL".into(),
        ..PolicyClauses::default()
    };
    let upper = |t: &str| t.to_uppercase();
    let mut i = 0;
    while i < tokens.len() {
        match upper(&tokens[i]).as_str() {
            "AS" => {
                out.restrictive = tokens
                    .get(i + 1)
                    .is_some_and(|t| t.eq_ignore_ascii_case("restrictive"));
                i += 2;
            }
            "FOR" => {
                out.command = tokens.get(i + 1).map(|t| upper(t)).unwrap_or_default();
                i += 2;
            }
            "TO" => {
                let mut roles: Vec<String> = Vec::new();
                i += 1;
                while i < tokens.len() {
                    let u = upper(&tokens[i]);
                    if u == "USING" || (u == "WITH" && tokens.len() > i + 1) {
                        break;
                    }
                    roles.push(tokens[i].clone());
                    i += 1;
                }
                out.roles = Some(roles.join(" ").replace(" ,", ","));
            }
            "USING" => {
                out.using = tokens.get(i + 1).cloned();
                i += 2;
            }
            "WITH" => {
                // WITH CHECK (..)
                out.with_check = tokens.get(i + 2).cloned();
                i += 3;
            }
            _ => i += 1,
        }
    }
    out
}

impl fmt::Display for GrantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{} ({c}) to {}", self.privilege, self.grantee),
            None => write!(f, "{} to {}", self.privilege, self.grantee),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_clauses_are_found_outside_expressions() {
        let c = policy_clauses(
            "AS RESTRICTIVE FOR select TO app, \"Odd Role\" USING ((owner = 'to using') AND f(1, 2)) WITH CHECK (true)",
        );
        assert!(c.restrictive);
        assert_eq!(c.command, "SELECT");
        assert_eq!(c.roles.as_deref(), Some("app, \"Odd Role\""));
        assert_eq!(
            c.using.as_deref(),
            Some("((owner = 'to using') AND f(1, 2))")
        );
        assert_eq!(c.with_check.as_deref(), Some("(true)"));
        let plain = policy_clauses("USING (x > 0)");
        assert!(!plain.restrictive);
        assert_eq!(plain.command, "ALL");
        assert_eq!(plain.roles, None);
        assert_eq!(plain.with_check, None);
    }

    #[test]
    fn grants_are_one_privilege_spelled_as_the_catalog_does() {
        let g = Grant::on_table("orders", " select", "public");
        assert_eq!(g.privilege, "SELECT");
        assert_eq!(g.grantee, "PUBLIC");
        assert_eq!(g.definition(), "");
        assert_eq!(g.with_grant_option().definition(), "WITH GRANT OPTION");
        let f = Grant::on_function("area", "w int", "app");
        assert_eq!(f.privilege, "EXECUTE");
        assert_eq!(f.grantee, "app");
        let c = Grant::on_column("orders", "note", "update", "app");
        assert_eq!(c.grant_key().to_string(), "UPDATE (note) to app");
        assert_ne!(
            c.grant_key(),
            Grant::on_table("orders", "UPDATE", "app").grant_key()
        );
        assert!(!c.privileges().contains(&"DELETE"));
    }
}

//! PostgreSQL's policies, row level security and grants, read from the catalog: three
//! queries for every object of the requested schemas at once
//! (`queries/postgres/{policies,row_security,grants}.sql`), turned into entities by
//! [`build_access_entities`] (a pure function). A policy's definition is rebuilt in one
//! canonical form (`AS PERMISSIVE FOR ALL TO PUBLIC USING (..) WITH CHECK (..)`), which is
//! also how the model's policies read back when the server spells them
//! (`entity_catalog::spell_entities`). Grants come one per (object, grantee, privilege),
//! PostgreSQL's defaults (the owner's own, PUBLIC's `EXECUTE` on functions) left out, and
//! one per (column, grantee, privilege) from the columns' ACLs (`pg_attribute.attacl`).

use retort_core::{Entity, Grant, GrantObject, Policy, RowLevelSecurity};

use crate::live_schema::{query, Catalog, ReadSchemaError};
use crate::table_dependents::TextRow;

/// The queries, each with the file it comes from: policies, row level security, grants.
pub(crate) const QUERIES: [(&str, &str); 3] = [
    (
        "queries/postgres/policies.sql",
        include_str!("../../queries/postgres/policies.sql"),
    ),
    (
        "queries/postgres/row_security.sql",
        include_str!("../../queries/postgres/row_security.sql"),
    ),
    (
        "queries/postgres/grants.sql",
        include_str!("../../queries/postgres/grants.sql"),
    ),
];

/// The rows of the three queries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessRows {
    /// Policies, one row each.
    pub policies: Vec<TextRow>,
    /// Tables with row level security enabled, one row each.
    pub row_security: Vec<TextRow>,
    /// Grants, one row per (object, grantee, privilege).
    pub grants: Vec<TextRow>,
}

/// A policy's catalog parts in the one form both sides are compared in.
fn policy_definition(
    permissive: &str,
    command: &str,
    roles: &str,
    using: Option<&str>,
    check: Option<&str>,
) -> String {
    let mut out = format!("AS {permissive} FOR {command} TO {roles}");
    if let Some(u) = using {
        out.push_str(&format!(" USING ({u})"));
    }
    if let Some(c) = check {
        out.push_str(&format!(" WITH CHECK ({c})"));
    }
    out
}

/// The rows as entities, a policy with its object id (row level security and grants: 0);
/// objects of `default_schema` carry no schema, as tables there do.
pub fn build_access_entities(rows: &AccessRows, default_schema: &str) -> Vec<(u32, Entity)> {
    let opt = |row: &TextRow, i: usize| row.get(i).cloned().flatten();
    let f = |row: &TextRow, i: usize| opt(row, i).unwrap_or_default();
    let schema = |s: String| (s != default_schema).then_some(s);
    let mut out = Vec::new();
    for row in &rows.policies {
        let definition = policy_definition(
            &f(row, 3),
            &f(row, 4),
            opt(row, 5).as_deref().unwrap_or("PUBLIC"),
            opt(row, 6).as_deref(),
            opt(row, 7).as_deref(),
        );
        let policy = Policy {
            schema: schema(f(row, 0)),
            table: f(row, 1),
            name: f(row, 2),
            definition,
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((f(row, 8).parse().unwrap_or(0), policy.into()));
    }
    for row in &rows.row_security {
        let rls = RowLevelSecurity {
            schema: schema(f(row, 0)),
            table: f(row, 1),
            force: f(row, 2) == "true",
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((0, rls.into()));
    }
    for row in &rows.grants {
        let on = match f(row, 1).as_str() {
            "sequence" => GrantObject::Sequence,
            "function" => GrantObject::Function,
            _ => GrantObject::Table,
        };
        let grant = Grant {
            schema: schema(f(row, 0)),
            on,
            object: f(row, 2),
            column: opt(row, 7),
            arguments: (on == GrantObject::Function).then(|| f(row, 3)),
            privilege: f(row, 4),
            grantee: f(row, 5),
            with_grant_option: f(row, 6) == "true",
            after: Vec::new(),
            only_on: Vec::new(),
        };
        out.push((0, grant.into()));
    }
    out
}

/// The default-privileges query and its file.
const DEFAULT_PRIVILEGES: (&str, &str) = (
    "queries/postgres/default_privileges.sql",
    include_str!("../../queries/postgres/default_privileges.sql"),
);

/// The database's default privileges (`queries/postgres/default_privileges.sql`) as the
/// statements that made them ([`default_privilege_statements`]).
pub(crate) async fn read_default_privileges(
    catalog: &mut dyn Catalog,
) -> Result<Vec<String>, ReadSchemaError> {
    let (file, sql) = DEFAULT_PRIVILEGES;
    Ok(default_privilege_statements(
        &query(catalog, file, sql).await?,
    ))
}

/// Rows of `default_privileges.sql` (role, schema or none, `GRANT ..`/`REVOKE ..`) as
/// `ALTER DEFAULT PRIVILEGES FOR ROLE role [IN SCHEMA schema] GRANT ..`.
pub fn default_privilege_statements(rows: &[TextRow]) -> Vec<String> {
    let get = |row: &TextRow, i: usize| row.get(i).cloned().flatten();
    let quote = |name: &str| {
        let plain = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if plain {
            name.to_owned()
        } else {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    };
    rows.iter()
        .map(|row| {
            let role = get(row, 0).unwrap_or_default();
            let schema = get(row, 1)
                .map(|s| format!(" IN SCHEMA {}", quote(&s)))
                .unwrap_or_default();
            let what = get(row, 2).unwrap_or_default();
            format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {}{schema} {what}",
                quote(&role)
            )
        })
        .collect()
}

/// The roles query and its file.
const ROLES: (&str, &str) = (
    "queries/postgres/roles.sql",
    include_str!("../../queries/postgres/roles.sql"),
);

/// [`missing_roles`] of `model`'s entities, the roles read with `queries/postgres/roles.sql`
/// (nothing asked when the model has no grant or policy).
pub(crate) async fn read_missing_roles(
    catalog: &mut dyn Catalog,
    model: &retort_core::MetaData,
) -> Result<Vec<(String, String)>, ReadSchemaError> {
    let names_roles = model
        .entities()
        .iter()
        .any(|e| matches!(e, Entity::Grant(_) | Entity::Policy(_)));
    if !names_roles {
        return Ok(Vec::new());
    }
    let (file, sql) = ROLES;
    let existing = crate::live_schema::first_column(query(catalog, file, sql).await?);
    Ok(missing_roles(model.entities(), &existing))
}

/// The roles the model's grants and policies name that `existing` (the server's role
/// names) lacks, each once, with the first entity naming it: a grant to a role that does not
/// exist fails only when the statement runs, so autogenerate and `check` say so first.
pub fn missing_roles(entities: &[Entity], existing: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut note = |role: String, e: &Entity| {
        let known = role == "PUBLIC"
            || ["CURRENT_USER", "CURRENT_ROLE", "SESSION_USER"].contains(&role.as_str())
            || existing.contains(&role);
        if !known && !out.iter().any(|(r, _)| *r == role) {
            out.push((role, e.key().to_string()));
        }
    };
    for e in entities {
        match e {
            Entity::Grant(g) => note(g.grantee.clone(), e),
            Entity::Policy(p) => {
                for r in policy_roles(p.clauses().roles.as_deref().unwrap_or("")) {
                    note(r, e);
                }
            }
            _ => {}
        }
    }
    out
}

/// The names of a policy's `TO` list, unquoted (`PUBLIC` and the `CURRENT_USER` family as
/// keywords, uppercase).
fn policy_roles(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(
            |r| match r.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(q) => q.replace("\"\"", "\""),
                None => {
                    let upper = r.to_uppercase();
                    if ["PUBLIC", "CURRENT_USER", "CURRENT_ROLE", "SESSION_USER"]
                        .contains(&upper.as_str())
                    {
                        upper
                    } else {
                        r.to_lowercase()
                    }
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod default_privilege_tests {
    use super::*;

    #[test]
    fn default_privileges_read_as_their_statements() {
        let row = |r: &str, s: Option<&str>, w: &str| -> TextRow {
            vec![Some(r.into()), s.map(Into::into), Some(w.into())]
        };
        let got = default_privilege_statements(&[
            row("owner", Some("Sales"), "GRANT SELECT ON TABLES TO app"),
            row("owner", None, "REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC"),
        ]);
        assert_eq!(
            got,
            [
                "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA \"Sales\" GRANT SELECT ON TABLES TO app",
                "ALTER DEFAULT PRIVILEGES FOR ROLE owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[Option<&str>]) -> TextRow {
        values.iter().map(|v| v.map(str::to_owned)).collect()
    }

    #[test]
    fn rows_become_policies_row_level_security_and_grants() {
        let rows = AccessRows {
            policies: vec![row(&[
                Some("public"),
                Some("orders"),
                Some("own"),
                Some("RESTRICTIVE"),
                Some("SELECT"),
                Some("app, \"Odd Role\""),
                Some("(owner = CURRENT_USER)"),
                None,
                Some("41"),
            ])],
            row_security: vec![row(&[Some("app"), Some("orders"), Some("true")])],
            grants: vec![
                row(&[
                    Some("public"),
                    Some("sequence"),
                    Some("ids"),
                    None,
                    Some("USAGE"),
                    Some("app"),
                    Some("false"),
                ]),
                row(&[
                    Some("public"),
                    Some("function"),
                    Some("area"),
                    Some("w integer"),
                    Some("EXECUTE"),
                    Some("PUBLIC"),
                    Some("true"),
                ]),
            ],
        };
        let got = build_access_entities(&rows, "public");
        let keys: Vec<String> = got.iter().map(|(_, e)| e.key().to_string()).collect();
        assert_eq!(
            keys,
            [
                "policy own on orders",
                "row level security on app.orders",
                "grant USAGE on sequence ids to app",
                "grant EXECUTE on function area(w integer) to PUBLIC"
            ]
        );
        assert_eq!(got[0].0, 41);
        assert_eq!(
            got[0].1.definition(),
            "AS RESTRICTIVE FOR SELECT TO app, \"Odd Role\" USING ((owner = CURRENT_USER))"
        );
        assert!(matches!(&got[1].1, Entity::RowLevelSecurity(r) if r.force));
        assert!(matches!(&got[3].1, Entity::Grant(g) if g.with_grant_option));
    }

    #[test]
    fn missing_roles_are_named_once() {
        let model: Vec<Entity> = vec![
            Grant::on_table("orders", "SELECT", "ghost").into(),
            Grant::on_table("orders", "INSERT", "ghost").into(),
            Grant::on_table("orders", "SELECT", "public").into(),
            Policy::new("orders", "p", "TO app, \"Odd\", current_user USING (true)").into(),
        ];
        let missing = missing_roles(&model, &["app".into()]);
        assert_eq!(
            missing,
            [
                (
                    "ghost".into(),
                    "grant SELECT on table orders to ghost".into()
                ),
                ("Odd".into(), "policy p on orders".into())
            ]
        );
    }
}

//! The roles a run's grants and policies name, checked before anything is sent: a grant
//! to a role the server lacks fails only when its statement runs, after the statements
//! before it (and, where DDL commits implicitly, with them kept). Autogenerate and `check`
//! refuse such a model (`AutogenerateError::UnknownRoles`); `upgrade` and `downgrade`
//! refuse such a run the same way, naming each role with the revision and op that name it.
//!
//! Roles are not under version control, but a revision may make one by raw SQL before it
//! grants to it: a role that the raw SQL of its revision, or of one before it in the run,
//! names after `CREATE ROLE` / `CREATE USER` is taken as made there.

use retort_core::ops::Op;
use retort_core::{Entity, MetaData};

use super::run::Rendered;
use super::{MigrateError, Migrator};
use crate::backends;
use crate::driver::{Driver, DriverCatalog};

/// What one step's ops say about roles: the entities that name some (grants, policies),
/// each with the op that makes it, and the raw SQL that may create one.
#[derive(Debug, Default)]
pub(super) struct RoleUses {
    /// Grants and policies the step creates or replaces, with the op (`create grant ..`).
    pub entities: Vec<(Entity, String)>,
    /// The step's raw SQL (`op.execute`), lowercase.
    pub raw_sql: Vec<String>,
}

impl RoleUses {
    /// The role uses of `ops`.
    pub(super) fn of(ops: &[Op]) -> Self {
        let mut out = RoleUses::default();
        for op in ops {
            match op {
                Op::CreateEntity { entity } | Op::ReplaceEntity { entity, .. }
                    if matches!(entity, Entity::Grant(_) | Entity::Policy(_)) =>
                {
                    out.entities.push((entity.clone(), op.describe()));
                }
                Op::Execute { sql, .. } => out.raw_sql.push(sql.to_lowercase()),
                _ => {}
            }
        }
        out
    }
}

/// Whether raw SQL `sql` (lowercase) creates `role`: it names the role after `create role`
/// or `create user`, bare or quoted.
fn creates(sql: &str, role: &str) -> bool {
    let lower = role.to_lowercase();
    ["create role ", "create user "].iter().any(|k| {
        sql.match_indices(k).any(|(at, _)| {
            let rest = sql[at + k.len()..].trim_start();
            let rest = rest.strip_prefix("if not exists ").unwrap_or(rest);
            let quoted = format!("\"{}\"", lower.replace('"', "\"\""));
            rest.starts_with(&quoted)
                || (rest.starts_with(&lower)
                    && !rest[lower.len()..]
                        .starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$'))
        })
    })
}

impl Migrator {
    /// Refuses the run when a step's grants or policies name a role the server does not
    /// have and no raw SQL of the run before it (or in it) creates: one catalog query per
    /// step that names roles, none when no step does.
    pub(super) async fn check_roles<D: Driver>(
        &self,
        driver: &mut D,
        rendered: &[Rendered<'_>],
    ) -> Result<(), MigrateError> {
        if rendered.iter().all(|r| r.roles.entities.is_empty()) {
            return Ok(());
        }
        let support = backends::support(driver.backend());
        let mut missing = Vec::new();
        for (i, r) in rendered.iter().enumerate() {
            if r.roles.entities.is_empty() {
                continue;
            }
            let model =
                MetaData::new().with_entities(r.roles.entities.iter().map(|(e, _)| e.clone()));
            let absent = support
                .missing_roles(&mut DriverCatalog(driver), &model)
                .await
                .map_err(|source| MigrateError::ReadRoles { source })?;
            for (role, by) in absent {
                let made = rendered[..=i]
                    .iter()
                    .flat_map(|r| &r.roles.raw_sql)
                    .any(|sql| creates(sql, &role));
                if made {
                    continue;
                }
                let op = r
                    .roles
                    .entities
                    .iter()
                    .find(|(e, _)| e.key().to_string() == by)
                    .map_or(by.clone(), |(_, op)| op.clone());
                missing.push(format!(
                    "role `{role}` (named by `{op}` in {} of revision {} ({}))",
                    r.direction, r.revision, r.script.path
                ));
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(MigrateError::UnknownRoles { roles: missing })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::creates;

    #[test]
    fn raw_sql_that_creates_a_role_is_recognised() {
        assert!(creates("create role app login", "app"));
        assert!(creates("select 1; create user if not exists app;", "app"));
        assert!(creates("create role \"we\"\"ird\"", "we\"ird"));
        assert!(!creates("create role application", "app"));
        assert!(!creates("grant app to other", "app"));
    }
}

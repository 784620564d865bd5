//! PostgreSQL's DDL for policies, row level security and grants (`retort_core::schema`'s
//! `entity_access`).
//!
//! * A policy is created with `CREATE POLICY name ON table <definition>`; a change that
//!   `ALTER POLICY` can make (the roles, the `USING` and `WITH CHECK` expressions, as long as
//!   neither expression goes away) is made with it, anything else (the command, permissive
//!   or restrictive, an expression removed, or no old definition recorded) drops and creates
//!   the policy in the revision's transaction.
//! * Row level security is `ALTER TABLE .. ENABLE|DISABLE ROW LEVEL SECURITY, [NO] FORCE ROW
//!   LEVEL SECURITY`: one statement, whatever the change.
//! * A grant is `GRANT privilege [(column)] ON TABLE|SEQUENCE|ROUTINE .. TO role [WITH GRANT OPTION]`,
//!   revoked with `REVOKE`; a change of the grant option alone grants it or revokes
//!   `GRANT OPTION FOR` it, leaving the privilege in place.

use retort_core::{Entity, EntityKey, EntityKind, Grant, GrantObject, Policy};

use super::Postgres;
use crate::ansi::entities::body;
use crate::{Dialect, DialectError};

type Result<T> = std::result::Result<T, DialectError>;

/// A role as `TO`/`FROM` takes it: `PUBLIC` as the keyword, any other quoted if needed.
fn role(d: &Postgres, name: &str) -> Result<String> {
    if name == "PUBLIC" {
        Ok(name.to_owned())
    } else {
        d.quote_identifier(name)
    }
}

fn grant_target(
    d: &Postgres,
    schema: Option<&str>,
    on: GrantObject,
    object: &str,
    arguments: Option<&str>,
) -> Result<String> {
    let name = d.qualified_name(schema, object)?;
    Ok(match on {
        GrantObject::Function => format!("ROUTINE {name}({})", arguments.unwrap_or("")),
        other => format!("{} {name}", other.as_sql()),
    })
}

/// `PRIVILEGE` or, on one column, `PRIVILEGE (column)`.
fn privilege(d: &Postgres, privilege: &str, column: Option<&str>) -> Result<String> {
    Ok(match column {
        Some(c) => format!("{privilege} ({})", d.quote_identifier(c)?),
        None => privilege.to_owned(),
    })
}

fn grant_sql(d: &Postgres, g: &Grant) -> Result<String> {
    let target = grant_target(
        d,
        g.schema.as_deref(),
        g.on,
        &g.object,
        g.arguments
            .as_deref()
            .map(retort_core::identity_arguments)
            .as_deref(),
    )?;
    Ok(format!(
        "GRANT {} ON {target} TO {}{}",
        privilege(d, &g.privilege, g.column.as_deref())?,
        role(d, &g.grantee)?,
        if g.with_grant_option {
            " WITH GRANT OPTION"
        } else {
            ""
        }
    ))
}

fn on_table(d: &Postgres, schema: Option<&str>, table: &str) -> Result<String> {
    d.qualified_name(schema, table)
}

/// `CREATE ..` of a policy, row level security or grant; `None` for another kind.
pub(super) fn create(d: &Postgres, entity: &Entity) -> Result<Option<String>> {
    Ok(Some(match entity {
        Entity::Policy(p) => format!(
            "CREATE POLICY {} ON {} {}",
            d.quote_identifier(&p.name)?,
            on_table(d, p.schema.as_deref(), &p.table)?,
            body(&p.definition)
        ),
        Entity::RowLevelSecurity(r) => format!(
            "ALTER TABLE {} ENABLE ROW LEVEL SECURITY, {}FORCE ROW LEVEL SECURITY",
            on_table(d, r.schema.as_deref(), &r.table)?,
            if r.force { "" } else { "NO " }
        ),
        Entity::Grant(g) => grant_sql(d, g)?,
        _ => return Ok(None),
    }))
}

/// `DROP POLICY`, `DISABLE ROW LEVEL SECURITY`, `REVOKE`; `None` for another kind.
pub(super) fn drop(d: &Postgres, key: &EntityKey) -> Result<Option<String>> {
    let table = || {
        on_table(
            d,
            key.schema.as_deref(),
            key.table.as_deref().unwrap_or(&key.name),
        )
    };
    Ok(Some(match key.kind {
        EntityKind::Policy => format!(
            "DROP POLICY {} ON {}",
            d.quote_identifier(&key.name)?,
            table()?
        ),
        EntityKind::RowLevelSecurity => format!(
            "ALTER TABLE {} DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY",
            table()?
        ),
        EntityKind::Grant => {
            let Some(g) = &key.grant else {
                return Err(DialectError::unsupported(
                    d.name(),
                    format!("revoking {key} without its privilege and grantee"),
                    "record the grant's key as `Grant::..(..)` gives it",
                ));
            };
            format!(
                "REVOKE {} ON {} FROM {}",
                privilege(d, &g.privilege, g.column.as_deref())?,
                grant_target(
                    d,
                    key.schema.as_deref(),
                    g.on,
                    &key.name,
                    key.arguments.as_deref()
                )?,
                role(d, &g.grantee)?
            )
        }
        _ => return Ok(None),
    }))
}

/// A replacement: `ALTER POLICY` where it can say the change, the grant option granted or
/// revoked, row level security set; `None` for another kind.
pub(super) fn replace(
    d: &Postgres,
    entity: &Entity,
    existing: Option<&Entity>,
) -> Result<Option<Vec<String>>> {
    Ok(Some(match entity {
        Entity::Policy(p) => match existing {
            Some(Entity::Policy(old)) if alterable(old, p) => vec![alter_policy(d, p)?],
            _ => {
                let mut out = vec![drop(d, &entity.key())?.unwrap_or_default()];
                out.extend(create(d, entity)?);
                out
            }
        },
        Entity::RowLevelSecurity(_) => create(d, entity)?.into_iter().collect(),
        Entity::Grant(g) if g.with_grant_option => vec![grant_sql(d, g)?],
        Entity::Grant(_) => {
            let revoke = drop(d, &entity.key())?.unwrap_or_default();
            vec![revoke.replacen("REVOKE ", "REVOKE GRANT OPTION FOR ", 1)]
        }
        _ => return Ok(None),
    }))
}

/// Whether `ALTER POLICY` turns `old` into `new`: same command and kind, and no expression
/// removed (`ALTER POLICY` can set one, never take it away).
fn alterable(old: &Policy, new: &Policy) -> bool {
    let (o, n) = (old.clauses(), new.clauses());
    o.restrictive == n.restrictive
        && o.command == n.command
        && (o.using.is_none() || n.using.is_some())
        && (o.with_check.is_none() || n.with_check.is_some())
}

fn alter_policy(d: &Postgres, p: &Policy) -> Result<String> {
    let c = p.clauses();
    let mut sql = format!(
        "ALTER POLICY {} ON {} TO {}",
        d.quote_identifier(&p.name)?,
        on_table(d, p.schema.as_deref(), &p.table)?,
        c.roles.as_deref().unwrap_or("PUBLIC")
    );
    if let Some(u) = &c.using {
        sql.push_str(&format!(" USING {u}"));
    }
    if let Some(w) = &c.with_check {
        sql.push_str(&format!(" WITH CHECK {w}"));
    }
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::RowLevelSecurity;

    #[test]
    fn policies_alter_what_alter_policy_can_say_and_recreate_the_rest() {
        let pg = Postgres;
        let old: Entity =
            Policy::new("orders", "own", "FOR SELECT TO app USING (owner = 1)").into();
        let roles: Entity = Policy::new(
            "orders",
            "own",
            "FOR SELECT TO app, audit USING (owner = 2)",
        )
        .into();
        assert_eq!(
            replace(&pg, &roles, Some(&old)).unwrap().unwrap(),
            ["ALTER POLICY own ON orders TO app, audit USING (owner = 2)"]
        );
        let command: Entity = Policy::new("orders", "own", "FOR ALL USING (owner = 2)").into();
        assert_eq!(
            replace(&pg, &command, Some(&old)).unwrap().unwrap(),
            [
                "DROP POLICY own ON orders",
                "CREATE POLICY own ON orders FOR ALL USING (owner = 2)"
            ]
        );
        // No old definition recorded: drop and create, which is right whatever it was.
        assert_eq!(replace(&pg, &roles, None).unwrap().unwrap().len(), 2);
    }

    #[test]
    fn row_level_security_and_grants() {
        let pg = Postgres;
        let rls: Entity = RowLevelSecurity::new("orders")
            .forced()
            .in_schema("app")
            .into();
        assert_eq!(
            create(&pg, &rls).unwrap().unwrap(),
            "ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY"
        );
        assert_eq!(
            drop(&pg, &rls.key()).unwrap().unwrap(),
            "ALTER TABLE app.orders DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY"
        );
        let g: Entity = Grant::on_table("orders", "select", "Odd Role")
            .with_grant_option()
            .into();
        assert_eq!(
            create(&pg, &g).unwrap().unwrap(),
            "GRANT SELECT ON TABLE orders TO \"Odd Role\" WITH GRANT OPTION"
        );
        let f: Entity = Grant::on_function("area", "w int, OUT x int", "public").into();
        assert_eq!(
            drop(&pg, &f.key()).unwrap().unwrap(),
            "REVOKE EXECUTE ON ROUTINE area(w int) FROM PUBLIC"
        );
        let plain: Entity = Grant::on_sequence("ids", "usage", "app").into();
        assert_eq!(
            replace(&pg, &plain, None).unwrap().unwrap(),
            ["REVOKE GRANT OPTION FOR USAGE ON SEQUENCE ids FROM app"]
        );
        let col: Entity = Grant::on_column("orders", "Note", "update", "app").into();
        assert_eq!(
            create(&pg, &col).unwrap().unwrap(),
            "GRANT UPDATE (\"Note\") ON TABLE orders TO app"
        );
        assert_eq!(
            drop(&pg, &col.key()).unwrap().unwrap(),
            "REVOKE UPDATE (\"Note\") ON TABLE orders FROM app"
        );
        assert_eq!(
            replace(&pg, &col, None).unwrap().unwrap(),
            ["REVOKE GRANT OPTION FOR UPDATE (\"Note\") ON TABLE orders FROM app"]
        );
    }

    #[test]
    fn hostile_names_stay_identifiers() {
        let pg = Postgres;
        let g: Entity = Grant::on_table("o\"rders; DROP TABLE x", "select", "r\"ole").into();
        assert_eq!(
            create(&pg, &g).unwrap().unwrap(),
            "GRANT SELECT ON TABLE \"o\"\"rders; DROP TABLE x\" TO \"r\"\"ole\""
        );
        assert_eq!(
            drop(&pg, &g.key()).unwrap().unwrap(),
            "REVOKE SELECT ON TABLE \"o\"\"rders; DROP TABLE x\" FROM \"r\"\"ole\""
        );
        let p: Entity = Policy::new("t\"x", "p\"y", "USING (true)").into();
        assert_eq!(
            drop(&pg, &p.key()).unwrap().unwrap(),
            "DROP POLICY \"p\"\"y\" ON \"t\"\"x\""
        );
    }
}

//! A function replaced where PostgreSQL refuses `CREATE OR REPLACE FUNCTION` (its return
//! type changed) is dropped and created; what the drop takes with it and the model may not
//! know (grants, a revoked `PUBLIC` execute, its comment, a non-default owner) is put back,
//! run on a real server and read from the catalogs. An overload of the same name keeps
//! what it has and lends nothing to the new function.

use retort_core::{Entity, Function};
use retort_dialect::{Dialect, Postgres};
use retort_testkit::{test_role_name, BoxError, TestDb, TestRoles};

fn owner() -> String {
    test_role_name("Function Owner")
}

fn caller() -> String {
    test_role_name("Function Caller")
}

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn old_function() -> Entity {
    Function::new(
        "Item Price",
        "id integer",
        "RETURNS integer LANGUAGE sql AS $$ SELECT id * 2 $$",
    )
    .into()
}

fn new_function() -> Entity {
    Function::new(
        "Item Price",
        "id integer",
        "RETURNS numeric LANGUAGE sql AS $$ SELECT id * 2.5 $$",
    )
    .into()
}

const SIGNATURE: &str = "\"Item Price\"(integer)";
const OVERLOAD: &str = "\"Item Price\"(text)";

async fn one(db: &TestDb, sql: &str) -> Result<String, BoxError> {
    let rows = db.query_strings(sql).await?;
    Ok(rows.join(" | "))
}

#[test]
fn a_function_dropped_and_created_keeps_its_grants_comment_and_owner() {
    retort_testkit::block_on(async {
        // The roles first: they are dropped after the database that granted to them.
        let roles = TestRoles::create(&[owner(), caller()])
            .await
            .expect("test role");
        let db = TestDb::postgres("function_replace::keeps").await;
        let outcome = keeps_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn keeps_body(db: &TestDb) -> Result<(), BoxError> {
    let (owner, role) = (q(&owner()), q(&caller()));
    db.execute_all(&Postgres.create_entity(&old_function())?)
        .await?;
    db.execute(&format!(
        "CREATE FUNCTION {OVERLOAD} RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$"
    ))
    .await?;
    for sql in [
        format!("REVOKE EXECUTE ON FUNCTION {SIGNATURE} FROM PUBLIC"),
        format!("GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {role} WITH GRANT OPTION"),
        format!("COMMENT ON FUNCTION {SIGNATURE} IS 'the item''s price'"),
        format!("ALTER FUNCTION {SIGNATURE} OWNER TO {owner}"),
        // The overload keeps its own: a comment, PUBLIC's execute, its owner.
        format!("COMMENT ON FUNCTION {OVERLOAD} IS 'the other one'"),
    ] {
        db.execute(&sql).await?;
    }

    let sql = Postgres.replace_entity(&new_function(), Some(&old_function()))?;
    db.execute_all(&sql).await?;

    let oid = |s: &str| format!("'{}'::regprocedure", s.replace('\'', "''"));
    let (f, other) = (oid(SIGNATURE), oid(OVERLOAD));
    assert_eq!(
        one(db, &format!("SELECT pg_get_function_result({f})")).await?,
        "numeric",
        "the new definition"
    );
    let lit = caller().replace('\'', "''");
    let privileges = format!(
        "SELECT concat_ws(',', \
           has_function_privilege('{lit}', {f}, 'EXECUTE WITH GRANT OPTION'), \
           has_function_privilege('public', {f}, 'EXECUTE'), \
           (SELECT proacl IS NULL FROM pg_proc WHERE oid = {other}))"
    );
    // The caller keeps EXECUTE with the grant option; PUBLIC's stays revoked; the
    // overload keeps its default privileges.
    assert_eq!(one(db, &privileges).await?, "t,f,t");
    let owners = format!(
        "SELECT string_agg(pg_get_userbyid(proowner), ',' ORDER BY oid = {other}) \
         FROM pg_proc WHERE oid IN ({f}, {other})"
    );
    assert_eq!(
        one(db, &owners).await?,
        format!("{},postgres", self::owner())
    );
    let comments = format!(
        "SELECT concat_ws(' / ', obj_description({f}, 'pg_proc'), obj_description({other}, 'pg_proc'))"
    );
    assert_eq!(
        one(db, &comments).await?,
        "the item's price / the other one"
    );
    Ok(())
}

/// A procedure whose argument default goes (which `CREATE OR REPLACE PROCEDURE` refuses):
/// dropped and created with `PROCEDURE` in what it puts back.
#[test]
fn a_procedure_dropped_and_created_keeps_its_grants_and_comment() {
    retort_testkit::block_on(async {
        let roles = TestRoles::create(&[caller()]).await.expect("test role");
        let db = TestDb::postgres("function_replace::procedure").await;
        let outcome = procedure_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn procedure_body(db: &TestDb) -> Result<(), BoxError> {
    let procedure = |arguments: &str| -> Entity {
        Function::procedure("tidy", arguments, "LANGUAGE sql AS $$ SELECT $$").into()
    };
    let (old, new) = (procedure("n integer DEFAULT 1"), procedure("n integer"));
    db.execute_all(&Postgres.create_entity(&old)?).await?;
    for sql in [
        "REVOKE ALL ON PROCEDURE tidy(integer) FROM PUBLIC".to_owned(),
        format!(
            "GRANT EXECUTE ON PROCEDURE tidy(integer) TO {}",
            q(&caller())
        ),
        "COMMENT ON PROCEDURE tidy(integer) IS 'tidies'".to_owned(),
    ] {
        db.execute(&sql).await?;
    }
    let sql = Postgres.replace_entity(&new, Some(&old))?;
    db.execute_all(&sql).await?;
    let lit = caller().replace('\'', "''");
    let state = format!(
        "SELECT concat_ws(',', pg_get_function_arguments('tidy(integer)'::regprocedure), \
           has_function_privilege('{lit}', 'tidy(integer)'::regprocedure, 'EXECUTE'), \
           has_function_privilege('public', 'tidy(integer)'::regprocedure, 'EXECUTE'), \
           obj_description('tidy(integer)'::regprocedure, 'pg_proc'))"
    );
    assert_eq!(one(db, &state).await?, "IN n integer,t,f,tidies");
    Ok(())
}

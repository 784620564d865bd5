//! A view replaced where PostgreSQL refuses `CREATE OR REPLACE VIEW` (a column dropped) is
//! dropped and created; what the drop takes with it and the model may not know (INSTEAD OF
//! triggers, rules, grants, comments, column defaults, a non-default owner) is put back,
//! run on a real server and read from the catalogs. What no longer fits the new definition
//! fails the replacement with the server's error rather than vanish.

use retort_core::{Entity, View};
use retort_dialect::{Dialect, Postgres};
use retort_testkit::{test_role_name, BoxError, TestDb, TestRoles};

/// Quoted where it is written in the test's SQL; a space and capitals test the quoting of
/// what the replacement puts back.
fn owner() -> String {
    test_role_name("View Owner")
}

fn reader() -> String {
    test_role_name("View Reader")
}

const VIEW: &str = "\"Item View\"";

fn old_view() -> Entity {
    View::new("Item View", "SELECT id, \"Name\", note FROM items").into()
}

fn new_view() -> Entity {
    View::new("Item View", "SELECT id, \"Name\" FROM items").into()
}

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The view of `old_view` with something of every kind hanging on it.
async fn furnish(db: &TestDb) -> Result<(), BoxError> {
    let (owner, role) = (q(&owner()), q(&reader()));
    db.execute("CREATE TABLE items (id integer PRIMARY KEY, \"Name\" text, note text)")
        .await?;
    db.execute_all(&Postgres.create_entity(&old_view())?)
        .await?;
    db.execute(
        "CREATE FUNCTION item_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN INSERT INTO items (id, \"Name\") VALUES (NEW.id, NEW.\"Name\"); RETURN NEW; END $$",
    )
    .await?;
    for sql in [
        format!("CREATE TRIGGER \"Item Insert\" INSTEAD OF INSERT ON {VIEW} FOR EACH ROW EXECUTE FUNCTION item_view_insert()"),
        format!("CREATE RULE \"Item Delete\" AS ON DELETE TO {VIEW} DO INSTEAD DELETE FROM items WHERE id = OLD.id"),
        format!("GRANT SELECT, INSERT ON {VIEW} TO {role} WITH GRANT OPTION"),
        format!("GRANT SELECT ON {VIEW} TO PUBLIC"),
        format!("GRANT UPDATE (\"Name\") ON {VIEW} TO {role}"),
        format!("COMMENT ON VIEW {VIEW} IS 'items, as shown'"),
        format!("COMMENT ON COLUMN {VIEW}.\"Name\" IS 'the item''s name'"),
        format!("COMMENT ON COLUMN {VIEW}.note IS 'goes with its column'"),
        format!("COMMENT ON TRIGGER \"Item Insert\" ON {VIEW} IS 'inserts'"),
        format!("COMMENT ON RULE \"Item Delete\" ON {VIEW} IS 'deletes'"),
        format!("ALTER VIEW {VIEW} ALTER COLUMN \"Name\" SET DEFAULT 'unnamed'"),
        format!("ALTER VIEW {VIEW} OWNER TO {owner}"),
        // The rule acts with the owner's rights.
        format!("GRANT ALL ON items TO {owner}"),
    ] {
        db.execute(&sql).await?;
    }
    Ok(())
}

async fn one(db: &TestDb, sql: &str) -> Result<String, BoxError> {
    let rows = db.query_strings(sql).await?;
    Ok(rows.join(" | "))
}

#[test]
fn a_view_dropped_and_created_keeps_its_triggers_rules_grants_comments_and_owner() {
    retort_testkit::block_on(async {
        // The roles first: they are dropped after the database that granted to it.
        let roles = TestRoles::create(&[owner(), reader()])
            .await
            .expect("test role");
        let db = TestDb::postgres("view_replace::keeps").await;
        let outcome = keeps_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn keeps_body(db: &TestDb) -> Result<(), BoxError> {
    furnish(db).await?;
    let role = reader();
    let sql = Postgres.replace_entity(&new_view(), Some(&old_view()))?;
    db.execute_all(&sql).await?;

    let oid = format!("'{}'::regclass", VIEW.replace('\'', "''"));
    let columns = format!(
        "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute \
         WHERE attrelid = {oid} AND attnum > 0 AND NOT attisdropped"
    );
    assert_eq!(one(db, &columns).await?, "id,Name", "the new definition");
    let triggers = format!(
        "SELECT tgname || ': ' || coalesce(obj_description(oid, 'pg_trigger'), '-') \
         FROM pg_trigger WHERE tgrelid = {oid} AND NOT tgisinternal"
    );
    assert_eq!(one(db, &triggers).await?, "Item Insert: inserts");
    let rules = format!(
        "SELECT rulename || ': ' || coalesce(obj_description(oid, 'pg_rewrite'), '-') \
         FROM pg_rewrite WHERE ev_class = {oid} AND rulename <> '_RETURN'"
    );
    assert_eq!(one(db, &rules).await?, "Item Delete: deletes");
    let lit = role.replace('\'', "''");
    let privileges = format!(
        "SELECT concat_ws(',', \
           has_table_privilege('{lit}', {oid}, 'SELECT WITH GRANT OPTION'), \
           has_table_privilege('{lit}', {oid}, 'INSERT WITH GRANT OPTION'), \
           has_table_privilege('{lit}', {oid}, 'DELETE'), \
           has_column_privilege('{lit}', {oid}, 'Name', 'UPDATE'), \
           has_column_privilege('{lit}', {oid}, 'id', 'UPDATE'), \
           (SELECT bool_or(grantee = 0 AND privilege_type = 'SELECT') \
              FROM pg_class c, aclexplode(c.relacl) WHERE c.oid = {oid}))"
    );
    // The owner's own rights aside, as granted before: SELECT and INSERT with the grant
    // option, no DELETE, UPDATE on "Name" alone, SELECT to PUBLIC.
    assert_eq!(one(db, &privileges).await?, "t,t,f,t,f,t");
    let owner = format!("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = {oid}");
    assert_eq!(one(db, &owner).await?, self::owner());
    let comments = format!(
        "SELECT concat_ws(' / ', obj_description({oid}, 'pg_class'), \
           col_description({oid}, 2))"
    );
    assert_eq!(
        one(db, &comments).await?,
        "items, as shown / the item's name"
    );
    let defaults = format!(
        "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = {oid} AND adnum = 2"
    );
    assert_eq!(one(db, &defaults).await?, "'unnamed'::text");
    // And they work: the trigger inserts, the rule deletes.
    db.execute(&format!(
        "INSERT INTO {VIEW} (id, \"Name\") VALUES (7, 'seven')"
    ))
    .await?;
    db.execute(&format!("DELETE FROM {VIEW} WHERE id = 7"))
        .await?;
    assert_eq!(one(db, "SELECT count(*)::text FROM items").await?, "0");
    Ok(())
}

#[test]
fn a_rule_on_a_dropped_column_fails_the_replacement_with_the_servers_error() {
    retort_testkit::block_on(async {
        let db = TestDb::postgres("view_replace::rule_fails").await;
        let outcome = rule_fails_body(&db).await;
        retort_testkit::finish(db, outcome).await;
    });
}

async fn rule_fails_body(db: &TestDb) -> Result<(), BoxError> {
    db.execute("CREATE TABLE items (id integer PRIMARY KEY, \"Name\" text, note text)")
        .await?;
    db.execute_all(&Postgres.create_entity(&old_view())?)
        .await?;
    db.execute(&format!(
        "CREATE RULE \"Item Note\" AS ON UPDATE TO {VIEW} DO INSTEAD \
         UPDATE items SET note = NEW.note WHERE id = OLD.id"
    ))
    .await?;
    let sql = Postgres.replace_entity(&new_view(), Some(&old_view()))?;
    let err = db
        .execute_all(&sql)
        .await
        .expect_err("the rule reads the dropped column")
        .to_string();
    assert!(err.contains("note"), "{err}");
    assert!(err.contains("Item Note"), "{err}");
    // Nothing happened: the view keeps its column and its rule.
    let oid = format!("'{}'::regclass", VIEW.replace('\'', "''"));
    let columns = format!(
        "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute \
         WHERE attrelid = {oid} AND attnum > 0 AND NOT attisdropped"
    );
    assert_eq!(one(db, &columns).await?, "id,Name,note");
    let rules =
        format!("SELECT rulename FROM pg_rewrite WHERE ev_class = {oid} AND rulename <> '_RETURN'");
    assert_eq!(one(db, &rules).await?, "Item Note");

    // What autogenerate writes when the rule changes with the view: the rule dropped
    // before the view's replacement and created after it.
    let rule = |col: &str| -> Entity {
        retort_core::Rule::new(
            "Item View",
            "Item Note",
            format!(
                "AS ON UPDATE TO {VIEW} DO INSTEAD UPDATE items SET \"{col}\" = NEW.\"{col}\" WHERE id = OLD.id"
            ),
        )
        .into()
    };
    let mut sql = Postgres.drop_entity(&rule("note").key())?;
    sql.extend(Postgres.replace_entity(&new_view(), Some(&old_view()))?);
    sql.extend(Postgres.create_entity(&rule("Name"))?);
    db.execute_all(&sql).await?;
    assert_eq!(one(db, &columns).await?, "id,Name");
    let definition = format!(
        "SELECT pg_get_ruledef(oid) FROM pg_rewrite WHERE ev_class = {oid} AND rulename <> '_RETURN'"
    );
    assert!(
        one(db, &definition)
            .await?
            .contains("\"Name\" = new.\"Name\""),
        "{}",
        one(db, &definition).await?
    );
    Ok(())
}

fn matview(query: &str) -> retort_core::MaterializedView {
    retort_core::MaterializedView::new("Item Totals", query).unique_index("item_totals_id", "(id)")
}

#[test]
fn a_materialized_view_dropped_and_created_keeps_its_grants_comments_owner_and_indexes() {
    retort_testkit::block_on(async {
        let roles = TestRoles::create(&[owner(), reader()])
            .await
            .expect("test roles");
        let db = TestDb::postgres("view_replace::matview").await;
        let outcome = matview_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test roles dropped");
    });
}

async fn matview_body(db: &TestDb) -> Result<(), BoxError> {
    let (owner, role) = (q(&owner()), q(&reader()));
    let mv = "\"Item Totals\"";
    db.execute("CREATE TABLE items (id integer PRIMARY KEY, total integer, note text)")
        .await?;
    let old: Entity = matview("SELECT id, total, note FROM items").into();
    db.execute_all(&Postgres.create_entity(&old)?).await?;
    for sql in [
        format!("GRANT SELECT ON {mv} TO {role}"),
        format!("COMMENT ON MATERIALIZED VIEW {mv} IS 'totals'"),
        format!("COMMENT ON COLUMN {mv}.total IS 'the total'"),
        format!("CREATE INDEX \"By Total\" ON {mv} (total)"),
        format!("CREATE INDEX by_note ON {mv} (note)"),
        format!("ALTER MATERIALIZED VIEW {mv} OWNER TO {owner}"),
        format!("GRANT SELECT ON items TO {owner}"),
    ] {
        db.execute(&sql).await?;
    }
    // The query changes and drops `note`: the index on it cannot come back.
    let new: Entity = matview("SELECT id, total + 1 AS total, note FROM items").into();
    db.execute_all(&Postgres.replace_entity(&new, Some(&old))?)
        .await?;
    let oid = format!("'{}'::regclass", mv.replace('\'', "''"));
    let facts = format!(
        "SELECT concat_ws(' / ', pg_get_viewdef({oid}) LIKE '%+ 1%', \
           pg_get_userbyid(relowner), \
           has_table_privilege('{}', {oid}, 'SELECT'), \
           obj_description({oid}, 'pg_class'), col_description({oid}, 2), \
           (SELECT string_agg(i.relname, ',' ORDER BY i.relname) FROM pg_index x \
              JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = {oid})) \
         FROM pg_class WHERE oid = {oid}",
        reader().replace('\'', "''")
    );
    assert_eq!(
        one(db, &facts).await?,
        format!(
            "t / {} / t / totals / the total / By Total,by_note,item_totals_id",
            self::owner()
        )
    );

    // An index on a column the query no longer has fails the replacement, naming it.
    let narrower: Entity = matview("SELECT id, total FROM items").into();
    let err = db
        .execute_all(&Postgres.replace_entity(&narrower, Some(&new))?)
        .await
        .expect_err("by_note reads the dropped column")
        .to_string();
    assert!(err.contains("by_note"), "{err}");
    Ok(())
}

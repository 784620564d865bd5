//! Hostile entity definitions on a live PostgreSQL (issue 14): a definition the server
//! refuses as malformed SQL while autogenerate spells the model in its rolled-back
//! transaction is an error naming the entity, not a revision that fails at `upgrade`, and
//! nothing of the spelling stays in the database.

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::schema::{Function, Type, View};
use retort_migrate::autogenerate::{compare_metadata, AutogenerateError, AutogenerateSettings};
use retort_migrate::driver::Driver;
use retort_migrate::{Migrator, Script};
use retort_testkit::{BoxError, TestDb};

use crate::fixtures::driver;

const REPORT: &str = "SELECT id, total FROM items WHERE total > 0";
const DOUBLE: &str = "RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT n * 2 $$";

fn up(op: &mut Operations) {
    op.create_table("items", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("total", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
    op.create_entity(View::new("item_report", REPORT));
    op.create_entity(Function::new("double_it", "n integer", DOUBLE));
}
fn down(op: &mut Operations) {
    op.drop_entity(Function::new("double_it", "n integer", DOUBLE));
    op.drop_entity(View::new("item_report", REPORT));
    op.drop_table("items");
}

#[test]
fn a_syntax_error_in_a_definition_is_named_and_leaves_nothing() {
    retort_testkit::block_on(async {
        let db = TestDb::postgres("hostile_entities::syntax").await;
        let outcome = syntax_body(&db).await;
        retort_testkit::finish(db, outcome).await;
    });
}

async fn syntax_body(db: &TestDb) -> Result<(), BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    let migrator = Migrator::new(vec![Script {
        revision: Revision::new("b10000000001").message("items"),
        upgrade: up,
        downgrade: down,
        path: "versions/b10000000001_items.rs",
        checksum: zeros,
    }])?;
    let mut d = driver(db).await;
    migrator.upgrade(&mut d, "head").await?;
    let heads = migrator.graph().heads();
    let settings = AutogenerateSettings::default();
    let model = migrator.schema_at(&heads);
    let mut broken = model.clone();
    for e in broken.entities_mut() {
        match e {
            retort_core::Entity::View(v) => v.definition = "SELEC id FRM items".into(),
            retort_core::Entity::Function(f) => {
                f.definition = "RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN n * ; END $$".into()
            }
            _ => {}
        }
    }
    let err = compare_metadata(&mut d, &migrator, &broken, &heads, &settings, None)
        .await
        .expect_err("a definition with a syntax error is refused");
    assert!(
        matches!(err, AutogenerateError::MalformedEntities { .. }),
        "{err}"
    );
    let text = err.to_string();
    for expected in [
        "view item_report",
        "function double_it(n integer)",
        "syntax error",
    ] {
        assert!(text.contains(expected), "{expected:?} not in: {text}");
    }
    // Nothing of the spelling stays: the database's view and function are the history's.
    let kept = db
        .query_strings(
            "SELECT pg_get_viewdef('public.item_report'::regclass) || ' / ' \
             || (SELECT prosrc FROM pg_proc WHERE proname = 'double_it')",
        )
        .await?;
    assert!(
        kept[0].contains("total > 0") && kept[0].contains("n * 2"),
        "{kept:?}"
    );
    let temps = db
        .query_strings("SELECT count(*)::text FROM pg_class WHERE relname LIKE 'retort_entity%'")
        .await?;
    assert_eq!(temps, ["0"]);
    // The session is usable after it: the model as recorded compares clean.
    let same = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
    assert!(same.diff.ops.is_empty(), "{:#?}", same.diff.ops);
    d.close().await?;
    Ok(())
}

/// A name with a quote, a semicolon and letters beyond ASCII, as SQL spells it quoted.
fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
const TABLE: &str = "tab\"le; drop ü";
const VIEW: &str = "v\"iew; é";
const FUNCTION: &str = "f\"n; ø";
const TRIGGER: &str = "t\"rig; ß";
const POLICY: &str = "p\"ol; ñ";
fn role() -> String {
    retort_testkit::test_role_name("r\"ole; ç")
}
fn hostile_entities() -> Vec<retort_core::Entity> {
    use retort_core::schema::{Grant, Policy, RowLevelSecurity, Trigger};
    vec![
        View::new(VIEW, format!("SELECT id FROM {}", q(TABLE))).into(),
        Function::new(
            FUNCTION,
            "",
            "RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.id := NEW.id; RETURN NEW; END$$",
        )
        .into(),
        Trigger::new(
            TABLE,
            TRIGGER,
            format!(
                "BEFORE UPDATE ON {} FOR EACH ROW EXECUTE FUNCTION {}()",
                q(TABLE),
                q(FUNCTION)
            ),
        )
        .into(),
        RowLevelSecurity::new(TABLE).into(),
        Policy::new(
            TABLE,
            POLICY,
            format!("FOR SELECT TO {} USING (true)", q(&role())),
        )
        .into(),
        Grant::on_table(VIEW, "SELECT", role()).into(),
        Grant::on_table(TABLE, "SELECT", role()).into(),
        Grant::on_function(FUNCTION, "", role()).into(),
    ]
}
fn up_hostile(op: &mut Operations) {
    op.create_table(TABLE, |t| {
        t.column("id", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
    for e in hostile_entities() {
        op.create_entity(e);
    }
}
fn down_hostile(op: &mut Operations) {
    for e in hostile_entities().into_iter().rev() {
        op.drop_entity(e);
    }
    op.drop_table(TABLE);
}

/// Quotes, semicolons and letters beyond ASCII in the names of a view, a function, a
/// trigger, a policy, a role and its grants: the upgrade makes them, `check` finds the
/// database as the history left it, and the downgrade removes them all.
#[test]
fn hostile_names_round_trip_on_the_server() {
    retort_testkit::block_on(async {
        let roles = retort_testkit::TestRoles::create(&[role()])
            .await
            .expect("test role");
        let db = TestDb::postgres("hostile_entities::names").await;
        let outcome = names_body(&db).await;
        retort_testkit::finish(db, outcome).await;
        roles.close().await.expect("test role dropped");
    });
}

async fn names_body(db: &TestDb) -> Result<(), BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    let migrator = Migrator::new(vec![Script {
        revision: Revision::new("b10000000002").message("hostile"),
        upgrade: up_hostile,
        downgrade: down_hostile,
        path: "versions/b10000000002_hostile.rs",
        checksum: zeros,
    }])?;
    let mut d = driver(db).await;
    migrator.upgrade(&mut d, "head").await?;
    let made = db
        .query_strings(&format!(
            "SELECT ((SELECT count(*) FROM pg_views WHERE viewname = '{v}')
                  + (SELECT count(*) FROM pg_proc WHERE proname = '{f}')
                  + (SELECT count(*) FROM pg_trigger WHERE tgname = '{t}')
                  + (SELECT count(*) FROM pg_policy WHERE polname = '{p}'))::text",
            v = VIEW.replace('\'', "''"),
            f = FUNCTION.replace('\'', "''"),
            t = TRIGGER.replace('\'', "''"),
            p = POLICY.replace('\'', "''"),
        ))
        .await?;
    assert_eq!(made, ["4"], "each made under its own name");
    let heads = migrator.graph().heads();
    let settings = AutogenerateSettings::default();
    let model = migrator.schema_at(&heads);
    let c = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
    assert!(c.diff.ops.is_empty(), "{:#?}", c.diff.ops);
    assert!(c.diff.warnings.is_empty(), "{:?}", c.diff.warnings);
    retort_migrate::autogenerate::check(&mut d, &migrator, &model, &settings, None).await?;
    migrator.downgrade(&mut d, "base").await?;
    let left = db
        .query_strings(
            "SELECT ((SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
                       AND relname NOT LIKE 'retort%')
                  + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace))::text",
        )
        .await?;
    assert_eq!(left, ["0"], "the downgrade leaves nothing");
    d.close().await?;
    Ok(())
}

/// About 5 MB of `VALUES` rows: a view's definition far beyond any written by hand.
fn big_values() -> String {
    let rows: Vec<String> = (0..560_000).map(|i| format!("({i})")).collect();
    format!("SELECT v.n FROM (VALUES {}) v(n)", rows.join(","))
}
/// A function whose body is about 5 MB, most of it a comment.
fn big_body() -> String {
    format!(
        "RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$BEGIN /* {} */ RETURN n; END$$",
        "x".repeat(5 << 20)
    )
}
fn up_big(op: &mut Operations) {
    op.create_entity(View::new("big_view", big_values()));
    op.create_entity(Function::new("big_fn", "n integer", big_body()));
}
fn down_big(op: &mut Operations) {
    op.drop_entity(Function::new("big_fn", "n integer", big_body()));
    op.drop_entity(View::new("big_view", big_values()));
}

/// Definitions of several MB (a view over a 5 MB `VALUES` list, a function with a 5 MB
/// body) go through the upgrade, compare clean, and a change elsewhere in the model finds
/// only that change. (No timing here: speed figures belong in `bench/`; the test prints
/// how long the comparison took.)
#[test]
fn definitions_of_several_megabytes_round_trip_without_false_differences() {
    retort_testkit::block_on(async {
        let db = TestDb::postgres("hostile_entities::big").await;
        let outcome = big_body_test(&db).await;
        retort_testkit::finish(db, outcome).await;
    });
}

async fn big_body_test(db: &TestDb) -> Result<(), BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    let migrator = Migrator::new(vec![Script {
        revision: Revision::new("b10000000003").message("big"),
        upgrade: up_big,
        downgrade: down_big,
        path: "versions/b10000000003_big.rs",
        checksum: zeros,
    }])?;
    let mut d = driver(db).await;
    migrator.upgrade(&mut d, "head").await?;
    let heads = migrator.graph().heads();
    let settings = AutogenerateSettings::default();
    let model = migrator.schema_at(&heads);
    let started = std::time::Instant::now();
    let c = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
    eprintln!(
        "compare_metadata over 2 x 5 MB definitions: {:?}",
        started.elapsed()
    );
    assert!(c.diff.ops.is_empty(), "{:?}", c.diff.log);
    assert!(c.diff.warnings.is_empty(), "{:?}", c.diff.warnings);
    let changed = model
        .clone()
        .with_entity(View::new("small_view", "SELECT 1 AS one"));
    let c = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
    assert_eq!(c.diff.log, ["Detected added view small_view"]);
    migrator.downgrade(&mut d, "base").await?;
    d.close().await?;
    Ok(())
}

//! Entities declared in the default schema by name (`.in_schema("public")`) are the same
//! objects as those declared without a schema: PostgreSQL reads both back unqualified.
//! A database made from such a model compares clean (no "added" entity beside a "left
//! alone" one), whichever way the model and the history spell the schema.

use retort_core::graph::Revision;
use retort_core::ops::Operations;
use retort_core::schema::{
    Entity, Function, Grant, MaterializedView, Policy, RowLevelSecurity, Trigger, Type, View,
};
use retort_migrate::autogenerate::{
    compare_metadata, compare_metadata_offline, AutogenerateSettings,
};
use retort_migrate::Backend;
use retort_migrate::{Migrator, Script};
use retort_testkit::{BoxError, TestDb};

use crate::fixtures::driver;

fn entities() -> Vec<Entity> {
    vec![
        View::new("big_items", "SELECT id, total FROM items WHERE total > 10").into(),
        MaterializedView::new("item_totals", "SELECT count(*) AS n FROM items").into(),
        Function::new(
            "touch_item",
            "",
            "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := NEW.total + 0; RETURN NEW; END; $$",
        )
        .into(),
        Function::procedure(
            "reset_items",
            "",
            "LANGUAGE sql AS $$ UPDATE items SET total = 0 $$",
        )
        .into(),
        Trigger::new(
            "items",
            "items_touch",
            "BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch_item()",
        )
        .into(),
        RowLevelSecurity::new("items").into(),
        Policy::new("items", "all_items", "FOR SELECT TO PUBLIC USING (true)").into(),
        Grant::on_table("items", "SELECT", "PUBLIC").into(),
    ]
}

/// Every entity with `public` named, or with no schema.
fn spelled(public: bool) -> Vec<Entity> {
    entities()
        .into_iter()
        .map(|e| if public { in_public(e) } else { e })
        .collect()
}

fn in_public(e: Entity) -> Entity {
    match e {
        Entity::View(v) => v.in_schema("public").into(),
        Entity::MaterializedView(v) => v.in_schema("public").into(),
        Entity::Function(f) => f.in_schema("public").into(),
        Entity::Trigger(t) => t.in_schema("public").into(),
        Entity::Policy(p) => p.in_schema("public").into(),
        Entity::RowLevelSecurity(r) => r.in_schema("public").into(),
        Entity::Grant(g) => g.in_schema("public").into(),
        other => other,
    }
}

fn up(op: &mut Operations) {
    op.create_table("items", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("total", Type::Integer).not_null();
        t.primary_key(["id"]);
    });
    for e in spelled(true) {
        op.create_entity(e);
    }
}

fn down(op: &mut Operations) {
    for e in spelled(true).into_iter().rev() {
        op.drop_entity(e);
    }
    op.drop_table("items");
}

#[test]
fn entities_named_in_the_default_schema_compare_clean() {
    retort_testkit::block_on(async {
        let db = TestDb::postgres("default_schema::entities").await;
        let outcome = body(&db).await;
        retort_testkit::finish(db, outcome).await;
    });
}

async fn body(db: &TestDb) -> Result<(), BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    let migrator = Migrator::new(vec![Script {
        revision: Revision::new("d50000000001").message("items in public"),
        upgrade: up,
        downgrade: down,
        path: "versions/d50000000001_items_in_public.rs",
        checksum: zeros,
    }])?;
    let mut d = driver(db).await;
    migrator.upgrade(&mut d, "head").await?;
    let heads = migrator.graph().heads();
    let settings = AutogenerateSettings::default();
    let history = migrator.schema_at(&heads);
    for public in [true, false] {
        let mut model = history.clone();
        *model.entities_mut() = spelled(public);
        let c = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
        assert!(
            c.diff.ops.is_empty(),
            "public named: {public}; {:?}",
            c.diff.log
        );
        assert!(
            !c.diff
                .warnings
                .iter()
                .any(|w| w.contains("is in the database but not in the model")),
            "public named: {public}; {:?}",
            c.diff.warnings
        );
        // Offline, with no server to ask: PostgreSQL's default `search_path`.
        let off = compare_metadata_offline(
            &migrator,
            &model,
            &heads,
            Backend::Postgres,
            &settings,
            None,
        )?;
        assert!(
            off.diff.ops.is_empty(),
            "offline, public named: {public}; {:?}",
            off.diff.log
        );
    }
    migrator.downgrade(&mut d, "base").await?;
    Ok(())
}

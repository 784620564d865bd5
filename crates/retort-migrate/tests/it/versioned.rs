//! What is under version control on a live PostgreSQL database made by a real history:
//! extensions, schemas' comments and materialized views' indexes the history made compare
//! clean and are dropped when the model loses them; the same made by hand (and standalone
//! sequences made by hand) are left alone with a warning; `plpgsql` and `public`'s own
//! comment are never named (`docs/entities.md`, "Nothing vanishes that nobody declared").
//! The replayed history (offline) compares the same.

use retort_core::graph::Revision;
use retort_core::ops::{Op, Operations};
use retort_core::schema::{Extension, MaterializedView, SchemaComment, Sequence, Table, Type};
use retort_core::{Entity, MetaData};
use retort_migrate::autogenerate::{
    compare_metadata, compare_metadata_offline, AutogenerateSettings,
};
use retort_migrate::url::Backend;
use retort_migrate::{Migrator, Script};
use retort_testkit::db_test;

use crate::fixtures::driver;

fn totals() -> MaterializedView {
    MaterializedView::new("item_totals", "SELECT id, total FROM items WHERE total > 0")
        .unique_index("item_totals_id", "(id)")
}

fn up(op: &mut Operations) {
    op.create_entity(Extension::new("citext"));
    op.create_table("items", |t| {
        t.column("id", Type::Integer).not_null();
        t.column("total", Type::Integer).not_null();
        t.column("code", Type::custom("citext"));
        t.primary_key(["id"]);
    });
    op.create_sequence(Sequence::new("invoice_numbers"));
    op.create_entity(totals());
    op.create_schema("reports");
    op.create_entity(SchemaComment::new("reports", "Made by the history"));
}

fn down(op: &mut Operations) {
    op.drop_entity(SchemaComment::new("reports", "Made by the history"));
    op.drop_schema("reports");
    op.drop_entity(totals());
    op.drop_sequence("invoice_numbers");
    op.drop_table("items");
    op.drop_entity(Extension::new("citext"));
}

fn migrator() -> Result<Migrator, retort_testkit::BoxError> {
    let zeros = "0000000000000000000000000000000000000000000000000000000000000000";
    Ok(Migrator::new(vec![Script {
        revision: Revision::new("v00000000001").message("items"),
        upgrade: up,
        downgrade: down,
        path: "versions/v00000000001_items.rs",
        checksum: zeros,
    }])?)
}

/// Everything of `md` but the entities and sequences `drop` names.
fn without(md: &MetaData, drop: &[&str]) -> MetaData {
    let mut out = md.clone();
    out.entities_mut().retain(|e| !drop.contains(&e.name()));
    out.sequences_mut()
        .retain(|s| !drop.contains(&s.name.as_str()));
    out
}

fn warned(warnings: &[String], start: &str) -> bool {
    warnings.iter().any(|w| w.starts_with(start))
}

db_test!(
    what_the_history_made_goes_what_hands_made_stays,
    [postgres],
    |db| {
        let migrator = migrator()?;
        let mut d = driver(&db).await;
        migrator.upgrade(&mut d, "head").await?;
        // Made by hand, on the database `db` the testkit created for this test.
        db.execute("CREATE EXTENSION pg_trgm").await?;
        db.execute("CREATE SEQUENCE handmade_numbers").await?;
        db.execute("COMMENT ON SCHEMA public IS 'Made by hand'")
            .await?;
        let heads = migrator.graph().heads();
        // `reports` is read although the model that lost its comment names it no more.
        let mut settings = AutogenerateSettings::default();
        settings.include_schemas = Some(vec!["reports".into()]);
        let model = migrator.schema_at(&heads);

        let same = compare_metadata(&mut d, &migrator, &model, &heads, &settings, None).await?;
        assert!(same.diff.ops.is_empty(), "{:#?}", same.diff.ops);
        let w = &same.diff.warnings;
        assert!(
            warned(
                w,
                "extension pg_trgm is in the database but not in the model"
            ),
            "{w:?}"
        );
        assert!(
            warned(
                w,
                "sequence 'handmade_numbers' is in the database but not in the model"
            ),
            "{w:?}"
        );
        assert!(
            warned(
                w,
                "comment on schema public is in the database but not in the model"
            ),
            "{w:?}"
        );
        assert!(!w.iter().any(|w| w.contains("plpgsql")), "{w:?}");
        assert_eq!(w.len(), 3, "{w:?}");

        // The model loses what the history made: each is dropped, the extension last.
        let lost = without(
            &model,
            &["citext", "invoice_numbers", "item_totals", "reports"],
        );
        let mut lost = lost;
        lost.tables_mut().retain(|t: &Table| t.name != "items");
        let gone = compare_metadata(&mut d, &migrator, &lost, &heads, &settings, None).await?;
        assert_eq!(
            gone.diff.log,
            [
                "Detected removed materialized view item_totals",
                "Detected removed comment on schema reports",
                "Detected removed table 'items'",
                "Detected removed sequence 'invoice_numbers'",
                "Detected removed extension citext",
            ]
        );

        // An index of the materialized view changed alone: a replace carrying the old one.
        let mut changed = model.clone();
        for e in changed.entities_mut() {
            if let Entity::MaterializedView(v) = e {
                v.indexes[0].definition = "(id DESC)".into();
            }
        }
        let c = compare_metadata(&mut d, &migrator, &changed, &heads, &settings, None).await?;
        assert_eq!(
            c.diff.log,
            ["Detected changed materialized view item_totals"]
        );
        let Op::ReplaceEntity {
            existing: Some(Entity::MaterializedView(old)),
            ..
        } = &c.diff.ops[0]
        else {
            panic!("{:#?}", c.diff.ops)
        };
        assert_eq!(
            old.definition,
            totals().definition,
            "the model's words for the query"
        );

        // Offline, from the replayed history alone: the same answers, no database asked.
        let offline = compare_metadata_offline(
            &migrator,
            &model,
            &heads,
            Backend::Postgres,
            &settings,
            None,
        )?;
        assert!(offline.diff.ops.is_empty(), "{:#?}", offline.diff.ops);
        let offline =
            compare_metadata_offline(&migrator, &lost, &heads, Backend::Postgres, &settings, None)?;
        assert_eq!(offline.diff.log, gone.diff.log);
        Ok(())
    }
);

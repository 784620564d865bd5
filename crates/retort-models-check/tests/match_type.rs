//! A foreign key's match type (`MATCH FULL`) on PostgreSQL: `check` compares it, as DAViCal's
//! `caldav_exists` key showed it must (a composite key whose columns must be all NULL or all
//! set is not the `MATCH SIMPLE` key that lets one of them be NULL).

use retort_core::{Column, FkMatch, ForeignKey, MetaData, Table, Type};
use retort_evolution::Live;
use retort_migrate::models::{render_models, ModelsOptions};
use retort_testkit::{block_on, BoxError, TestDb, TestDialect};

const SCHEMA: &str = "CREATE TABLE pairs (a integer, b integer, PRIMARY KEY (a, b));
CREATE TABLE uses (id integer PRIMARY KEY, a integer, b integer,
    CONSTRAINT uses_pair_fkey FOREIGN KEY (a, b) REFERENCES pairs (a, b) MATCH FULL);";

fn model(fk: ForeignKey) -> MetaData {
    MetaData::new()
        .table(
            Table::new("pairs")
                .column(Column::new("a", Type::Integer).not_null())
                .column(Column::new("b", Type::Integer).not_null())
                .primary_key(["a", "b"]),
        )
        .table(
            Table::new("uses")
                .column(Column::new("id", Type::Integer).not_null())
                .column(Column::new("a", Type::Integer))
                .column(Column::new("b", Type::Integer))
                .primary_key(["id"])
                .foreign_key(fk),
        )
}

fn simple() -> ForeignKey {
    ForeignKey::new(["a", "b"], "pairs", ["a", "b"]).name("uses_pair_fkey")
}

#[test]
fn check_finds_a_match_full_key_that_the_model_has_as_match_simple() {
    block_on(async {
        let db = TestDb::new(TestDialect::Postgres, "models_match_full").await;
        let outcome = async {
            db.execute(SCHEMA).await?;
            let md = model(simple());
            let (_, diff) = Live::new(&db, &[&md]).autogenerate(&md).await?;
            assert!(
                !diff.ops.is_empty(),
                "check is clean for a MATCH SIMPLE model against a MATCH FULL key"
            );
            // The model that says MATCH FULL is the database's.
            let full = model(simple().match_type(FkMatch::Full));
            let (_, diff) = Live::new(&db, &[&full]).autogenerate(&full).await?;
            assert!(
                diff.ops.is_empty(),
                "check finds differences for a MATCH FULL model against its key: {:#?}",
                diff.log
            );
            // The read carries it, and the models written from it say it.
            let read = Live::new(&db, &[]).reflect().await?;
            let fk = &read
                .get_table(None, "uses")
                .expect("uses is read")
                .foreign_keys[0];
            assert_eq!(fk.match_type, Some(FkMatch::Full));
            let source = render_models(
                &read,
                &ModelsOptions {
                    dialect: &retort_dialect::Postgres,
                    source: "a database",
                    not_carried: &[],
                },
            );
            assert!(source.contains(r#"match = "full""#), "{source}");
            Ok::<(), BoxError>(())
        }
        .await;
        retort_testkit::finish(db, outcome).await;
    });
}

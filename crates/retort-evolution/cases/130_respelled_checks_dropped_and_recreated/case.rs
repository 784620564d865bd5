//! A table whose checks and partial index PostgreSQL re-spells on every reload (issue 19,
//! item 3), dropped by an empty model and re-created by the downgrade. The model holds
//! PostgreSQL's own first spelling, as reflected from a database SQLAlchemy built (MLflow's
//! `runs`: `IN (..)` on a varchar column stored as `= ANY ((ARRAY[..])::text[])`); run
//! again, that text is stored as `ANY (ARRAY[('a'::character varying)::text, ..])`. Both
//! spellings are one check: nothing is found against the table `create_all` or the
//! downgrade made, and the dump after the downgrade equals the one before.
//! PostgreSQL only: the `::` casts are PostgreSQL's spelling.
use retort_core::*;
use retort_evolution::Seed;

pub const DIALECTS: &[&str] = &["postgres"];

pub fn before() -> MetaData {
    MetaData::new().table(
        Table::new("runs")
            .column(Column::new("run_uuid", Type::Varchar(Some(32))).not_null())
            .column(Column::new("status", Type::Varchar(Some(9))))
            .column(Column::new("lifecycle_stage", Type::Varchar(Some(20))))
            .primary_key(["run_uuid"])
            .check(
                Some("status"),
                "((status)::text = ANY ((ARRAY['SCHEDULED'::character varying, 'FAILED'::character varying, 'RUNNING'::character varying])::text[]))",
            )
            .check(
                Some("runs_lifecycle_stage"),
                "((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[]))",
            )
            .index(
                Index::on_columns(["status"])
                    .name("ix_runs_live")
                    .predicate("((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying])::text[]))"),
            ),
    )
}

pub fn after() -> MetaData {
    MetaData::new()
}

pub fn seed_rows() -> Vec<Seed> {
    vec![Seed { table: "runs", columns: &["run_uuid", "status", "lifecycle_stage"], rows: &[&["'a1'", "'RUNNING'", "'active'"], &["'b2'", "'FAILED'", "'deleted'"]] }]
}

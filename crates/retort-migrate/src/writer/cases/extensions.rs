//! Extensions (with and without schema and version), schemas' comments (one with a
//! quote and a line break) and a materialized view's indexes, created, replaced with the
//! old definition and dropped.

use retort_core::ops::Op;
use retort_core::{Entity, Extension, MaterializedView, SchemaComment};

use super::{header, reversed, Case};

pub(super) fn extensions() -> Case {
    let totals = || {
        MaterializedView::new(
            "customer_totals",
            "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id",
        )
        .in_schema("reports")
    };
    let upgrade = vec![
        Op::CreateEntity {
            entity: Extension::new("citext").into(),
        },
        Op::CreateEntity {
            entity: Extension::new("uuid-ossp")
                .in_schema("ext")
                .version("1.1")
                .into(),
        },
        Op::ReplaceEntity {
            entity: Extension::new("hstore").version("1.8").into(),
            existing: Some(
                Extension::new("hstore")
                    .in_schema("public")
                    .version("1.7")
                    .into(),
            ),
        },
        Op::CreateEntity {
            entity: SchemaComment::new("reports", "The team's views;\nit's read-only").into(),
        },
        Op::ReplaceEntity {
            entity: SchemaComment::new("public", "The shop").into(),
            existing: Some(SchemaComment::new("public", "standard public schema").into()),
        },
        Op::ReplaceEntity {
            entity: totals()
                .unique_index("customer_totals_customer", "(customer_id)")
                .index("customer_totals_big", "(total DESC) WHERE total > 1000")
                .into(),
            existing: Some(totals().into()),
        },
        Op::DropEntity {
            key: Entity::from(Extension::new("pg_trgm")).key(),
            existing: Some(
                Extension::new("pg_trgm")
                    .in_schema("public")
                    .version("1.6")
                    .into(),
            ),
        },
    ];
    Case {
        name: "extensions",
        header: header(
            "c1d2e3f4a5b6",
            &["b1c2d3e4f5a6"],
            "Extensions, schema comments, materialized view indexes",
        ),
        downgrade: reversed(&upgrade),
        upgrade,
        hints: Vec::new(),
    }
}

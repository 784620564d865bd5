//! Domains, aggregates and rules (PostgreSQL): created, replaced (carrying the old
//! definition) and dropped, with a schema and a name that needs quoting.

use retort_core::ops::Op;
use retort_core::{Aggregate, Domain, Entity, Rule};

use super::{header, reversed, Case};

pub(super) fn objects() -> Case {
    let rule = |action: &str| {
        Rule::new(
            "payment",
            "Payment Archive",
            format!("AS ON INSERT TO payment WHERE new.amount < 0 DO {action}"),
        )
    };
    let upgrade = vec![
        Op::CreateEntity {
            entity: Domain::new(
                "year",
                "AS integer DEFAULT 2000 NOT NULL CONSTRAINT year_check CHECK (VALUE >= 1901)",
            )
            .in_schema("films")
            .into(),
        },
        Op::CreateEntity {
            entity: Aggregate::new(
                "group_concat",
                "text",
                "(SFUNC = _group_concat, STYPE = text, INITCOND = '')",
            )
            .into(),
        },
        Op::ReplaceEntity {
            entity: rule("INSTEAD NOTHING").into(),
            existing: Some(rule("ALSO NOTHING").into()),
        },
        Op::DropEntity {
            key: Entity::from(Domain::new("positive", "AS numeric CHECK (VALUE > 0)")).key(),
            existing: Some(Domain::new("positive", "AS numeric CHECK (VALUE > 0)").into()),
        },
    ];
    Case {
        name: "objects",
        header: header(
            "f6a7b8c9d0e1",
            &["c2d3e4f5a6b7"],
            "Domains, aggregates and rules",
        ),
        downgrade: reversed(&upgrade),
        upgrade,
        hints: Vec::new(),
    }
}

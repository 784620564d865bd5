//! Policies, row level security and grants: created, replaced (carrying the old
//! definition) and dropped, with a schema, a role that needs quoting and each kind of
//! grant object (a column's too).

use retort_core::ops::Op;
use retort_core::{Entity, Grant, Policy, RowLevelSecurity};

use super::{header, reversed, Case};

pub(super) fn access() -> Case {
    let upgrade = vec![
        Op::CreateEntity {
            entity: RowLevelSecurity::new("orders").forced().into(),
        },
        Op::CreateEntity {
            entity: Policy::new(
                "orders",
                "own_orders",
                "AS RESTRICTIVE FOR SELECT TO \"Odd Role\" USING (owner = current_user)",
            )
            .in_schema("sales")
            .into(),
        },
        Op::ReplaceEntity {
            entity: Policy::new("orders", "writers", "FOR UPDATE TO app USING (true)").into(),
            existing: Some(
                Policy::new(
                    "orders",
                    "writers",
                    "AS PERMISSIVE FOR UPDATE TO PUBLIC USING (true)",
                )
                .into(),
            ),
        },
        Op::CreateEntity {
            entity: Grant::on_table("orders", "SELECT", "Odd Role")
                .with_grant_option()
                .into(),
        },
        Op::CreateEntity {
            entity: Grant::on_sequence("order_ids", "USAGE", "app").into(),
        },
        Op::CreateEntity {
            entity: Grant::on_column("orders", "Note", "UPDATE", "app")
                .with_grant_option()
                .into(),
        },
        Op::CreateEntity {
            entity: Grant::on_function("area", "w integer, h integer DEFAULT 1", "PUBLIC")
                .in_schema("geo")
                .into(),
        },
        Op::DropEntity {
            key: Entity::from(Grant::on_table("orders", "DELETE", "app")).key(),
            existing: Some(Grant::on_table("orders", "DELETE", "app").into()),
        },
    ];
    Case {
        name: "access",
        header: header(
            "c2d3e4f5a6b7",
            &["b1c2d3e4f5a6"],
            "Policies, row level security and grants",
        ),
        downgrade: reversed(&upgrade),
        upgrade,
        hints: Vec::new(),
    }
}

//! Per-dialect variants of types and defaults (`Type::with_variant`,
//! `ServerDefault::with_variant`): the script keeps every dialect's choice, so a revision
//! generated against one database runs the same on the other.

use retort_core::ops::{AlterColumn, Op};
use retort_core::{Column, DialectKind, ServerDefault, Table, Type};

use super::{header, reversed, Case};

pub(super) fn variants() -> Case {
    let uuid_default =
        ServerDefault::expr("gen_random_uuid()").with_variant(DialectKind::Sqlite, None);
    let table = Table::new("documents")
        .column(
            Column::new("id", Type::Uuid)
                .not_null()
                .server_default(uuid_default.clone()),
        )
        .column(Column::new(
            "body",
            Type::Jsonb.with_variant(DialectKind::Sqlite, Type::Json),
        ))
        .column(
            Column::new("created", Type::Timestamp { tz: true }).server_default(
                ServerDefault::only_on(DialectKind::Postgres, ServerDefault::expr("now()"))
                    .with_variant(
                        DialectKind::Sqlite,
                        Some(ServerDefault::expr("CURRENT_TIMESTAMP")),
                    ),
            ),
        )
        .primary_key(["id"]);
    let mut alter = AlterColumn::new("documents", "body");
    alter.type_ = Some(Type::custom("JSONB").with_variant(DialectKind::Sqlite, Type::Text));
    alter.existing_type = Some(Type::Jsonb.with_variant(DialectKind::Sqlite, Type::Json));
    alter.server_default = Some(Some(
        ServerDefault::text("{}").with_variant(DialectKind::Sqlite, None),
    ));
    alter.existing_server_default = Some(None);
    let upgrade = vec![
        Op::CreateTable { table },
        Op::AddColumn {
            schema: None,
            table: "documents".into(),
            column: Column::new("token", Type::Uuid).server_default(uuid_default),
        },
        Op::AlterColumn(alter),
    ];
    let downgrade = reversed(&upgrade);
    Case {
        name: "variants",
        header: header("8c9d0e1f2a3b", &["7b8c9d0e1f2a"], "Per-dialect variants"),
        upgrade,
        downgrade,
        hints: vec![],
    }
}

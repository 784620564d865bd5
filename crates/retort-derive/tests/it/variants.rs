//! Per-dialect variants (`postgres(..)`, `sqlite(..)`): the table carries every dialect's
//! type and default, and each dialect creates its own.

use retort::core::{DialectKind, ServerDefault, Type};
use retort::dialect::{Dialect, Postgres, Sqlite};
use retort::prelude::*;

#[derive(Model)]
#[retort(table = "documents")]
#[allow(dead_code)]
struct Document {
    #[retort(
        primary_key,
        server_default = "gen_random_uuid()",
        sqlite(no_server_default)
    )]
    id: uuid::Uuid,
    #[retort(jsonb, sqlite(sql_type = "TEXT"))]
    body: String,
    #[retort(server_default = "now()", sqlite(server_default = "CURRENT_TIMESTAMP"))]
    created: chrono::DateTime<chrono::Utc>,
    #[retort(postgres(default_value = 1))]
    version: i32,
}

fn column(name: &str) -> Column {
    Document::table()
        .columns
        .into_iter()
        .find(|c| c.name == name)
        .unwrap()
}

#[test]
fn the_table_carries_every_dialects_choice() {
    assert_eq!(
        column("id").server_default,
        Some(ServerDefault::expr("gen_random_uuid()").with_variant(DialectKind::Sqlite, None))
    );
    assert_eq!(
        column("body").ty,
        Type::Jsonb.with_variant(DialectKind::Sqlite, Type::custom("TEXT"))
    );
    assert_eq!(
        column("created").server_default,
        Some(ServerDefault::expr("now()").with_variant(
            DialectKind::Sqlite,
            Some(ServerDefault::expr("CURRENT_TIMESTAMP"))
        ))
    );
    assert_eq!(
        column("version").server_default,
        Some(ServerDefault::only_on(
            DialectKind::Postgres,
            ServerDefault::int(1)
        ))
    );
}

#[test]
fn each_dialect_creates_its_own_variant() {
    let md = MetaData::new().with::<Document>();
    let pg = Postgres.create_all(&md).unwrap().join("\n");
    assert!(
        pg.contains("id UUID DEFAULT gen_random_uuid() NOT NULL"),
        "{pg}"
    );
    assert!(pg.contains("body JSONB"), "{pg}");
    assert!(pg.contains("DEFAULT now()"), "{pg}");
    assert!(pg.contains("version INTEGER DEFAULT 1 NOT NULL"), "{pg}");
    let lite = Sqlite.create_all(&md).unwrap().join("\n");
    assert!(!lite.contains("gen_random_uuid"), "{lite}");
    assert!(!lite.contains("now()"), "{lite}");
    assert!(lite.contains("body TEXT"), "{lite}");
    assert!(lite.contains("DEFAULT (CURRENT_TIMESTAMP)"), "{lite}");
    assert!(lite.contains("version INTEGER NOT NULL"), "{lite}");
}

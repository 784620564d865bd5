//! Per-dialect variants (`postgres(..)`, `sqlite(..)`, `mysql(..)`): the table carries every dialect's
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

/// `mysql(..)` is MySQL's and MariaDB's variant: TEXT takes no literal default on MySQL, so a
/// defaulted text column is a VARCHAR there.
#[derive(Model)]
#[retort(table = "labels")]
#[allow(dead_code)]
struct Label {
    #[retort(primary_key)]
    id: i32,
    #[retort(text, default_value = "new", mysql(varchar = 40))]
    name: String,
    #[retort(
        server_default = "gen_random_uuid()",
        mysql(server_default = "uuid()"),
        sqlite(no_server_default)
    )]
    token: uuid::Uuid,
}

#[test]
fn mysql_has_its_own_variant() {
    let t = Label::table();
    let name = t.get_column("name").unwrap();
    assert_eq!(
        name.ty,
        Type::Text.with_variant(DialectKind::Mysql, Type::Varchar(Some(40)))
    );
    let token = t.get_column("token").unwrap();
    assert_eq!(
        token.server_default,
        Some(
            ServerDefault::expr("gen_random_uuid()")
                .with_variant(DialectKind::Mysql, Some(ServerDefault::expr("uuid()")))
                .with_variant(DialectKind::Sqlite, None)
        )
    );
    let md = MetaData::new().with::<Label>();
    let my = retort::dialect::Mysql.create_all(&md).unwrap().join("\n");
    assert!(
        my.contains("name VARCHAR(40) NOT NULL DEFAULT 'new'"),
        "{my}"
    );
    assert!(
        my.contains("token CHAR(36) NOT NULL DEFAULT (uuid())"),
        "{my}"
    );
    let pg = Postgres.create_all(&md).unwrap().join("\n");
    assert!(pg.contains("name TEXT DEFAULT 'new' NOT NULL"), "{pg}");
    assert!(pg.contains("DEFAULT gen_random_uuid()"), "{pg}");
}
